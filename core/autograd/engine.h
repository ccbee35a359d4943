// Reverse-mode differentiation over the recorded graph (see Tensor::backward).
#pragma once

#include <vector>

#include "core/tensor/tensor.h"

namespace lm {

// Back-propagates root_grads[i] from roots[i] into the .grad of every reachable leaf (and of
// tensors that called retain_grad()). Saved tensors are freed unless retain_graph is set.
void run_backward(const std::vector<Tensor>& roots,
                  const std::vector<Tensor>& root_grads,
                  bool retain_graph);

}  // namespace lm
