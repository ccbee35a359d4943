// Softmax and log-softmax over the last dim (no autograd; the differentiable versions are in
// core/autograd/functional.h, their backward formulas in softmax_grad.cpp).
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

Tensor softmax(const Tensor& x);
Tensor softmax_backward(const Tensor& y, const Tensor& dy);  // dx = y (dy - sum(dy y))
Tensor log_softmax(const Tensor& x);
Tensor log_softmax_backward(const Tensor& y, const Tensor& dy);  // dx = dy - e^y sum(dy)

}  // namespace lm::ops
