// Backend entry points of layer norm (layer_norm_cpu.cpp, layer_norm_cuda.cu); tensors are
// contiguous, rows = numel / C.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void layer_norm_rows(const Tensor& y,
                     const Tensor& mean,
                     const Tensor& rstd,
                     const Tensor& x,
                     const Tensor& w,
                     const Tensor& b,
                     double eps);
// dw, db may be undefined; they are overwritten.
void layer_norm_rows_backward(const Tensor& dx,
                              const Tensor& dw,
                              const Tensor& db,
                              const Tensor& x,
                              const Tensor& w,
                              const Tensor& mean,
                              const Tensor& rstd,
                              const Tensor& dy);
}  // namespace lm::cpu

namespace lm::cuda {
void layer_norm_rows(const Tensor& y,
                     const Tensor& mean,
                     const Tensor& rstd,
                     const Tensor& x,
                     const Tensor& w,
                     const Tensor& b,
                     double eps);
// dw, db may be undefined; they are overwritten.
void layer_norm_rows_backward(const Tensor& dx,
                              const Tensor& dw,
                              const Tensor& db,
                              const Tensor& x,
                              const Tensor& w,
                              const Tensor& mean,
                              const Tensor& rstd,
                              const Tensor& dy);
}  // namespace lm::cuda
