// Autograd state of a tensor. Only tensors that take part in differentiation carry one.
#pragma once

#include <memory>

#include "core/tensor/tensor.h"

namespace lm {

struct AutogradMeta {
    Tensor grad;                               // accumulated gradient (leaves, retained)
    std::shared_ptr<Node> grad_fn;             // the op that produced this tensor (non-leaf)
    std::weak_ptr<Node> grad_accumulator;      // a leaf's AccumulateGrad node, made lazily
    int output_nr = 0;                         // which output of grad_fn this tensor is
    bool requires_grad = false;
    bool retains_grad = false;
};

}  // namespace lm
