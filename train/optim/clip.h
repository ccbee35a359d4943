// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_). Parameters whose grad
// is undefined are skipped. Grads are changed in place.
#pragma once

#include <vector>

#include "core/tensor/tensor.h"

namespace lm::train {

// Global L2 norm of all defined grads, summed in double in a fixed order: the same value for
// any thread count.
double grad_norm(const std::vector<Tensor>& params);

// Scales every grad by max_norm / (norm + 1e-6) when that is below 1, and returns the norm
// before clipping. A non-finite norm (inf/nan) is returned with the grads left untouched: the
// caller should skip the optimizer step. max_norm = inf only measures.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm);

// Clamps every grad element to [-limit, limit] (NaN stays NaN).
void clip_grad_value(const std::vector<Tensor>& params, double limit);

}  // namespace lm::train
