// Layer norm over the last dim (no autograd; the differentiable version is in
// core/autograd/functional.h, its backward in layer_norm_grad.cpp). The forward returns the
// per-row statistics its backward needs.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

struct LayerNormResult {
    Tensor y, mean, rstd;  // mean and rstd: one per row, shape x.shape()[:-1]
};
// w and b: [C] or undefined.
LayerNormResult layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps);
struct LayerNormGrads {
    Tensor dx, dw, db;
};
LayerNormGrads layer_norm_backward(const Tensor& x,
                                   const Tensor& w,
                                   const Tensor& mean,
                                   const Tensor& rstd,
                                   const Tensor& dy,
                                   bool need_dw,
                                   bool need_db);

}  // namespace lm::ops
