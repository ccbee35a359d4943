// Fused optimizer updates and gradient-clipping primitives (no autograd). Each call updates one
// parameter tensor in place; the element math is in core/kernels/optim.h.
#pragma once

#include "core/kernels/optim.h"
#include "core/tensor/tensor.h"

namespace lm::ops {

// One Adam/AdamW step of `param` (contiguous, floating) and its state tensors exp_avg and
// exp_avg_sq (contiguous, same shape, dtype and device); `grad` must match param's shape, dtype
// and device (a strided grad is copied first).
void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs);

// One SGD step; `momentum_buffer` is undefined when coeffs.momentum == 0.
void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs);

// Sum of the squares of all elements, accumulated in double over fixed-size blocks combined in
// order, so the result does not depend on the thread count.
double sum_of_squares(const Tensor& x);

// In-place x *= s and x = clamp(x, lo, hi) on a contiguous floating tensor.
void scale_in_place(const Tensor& x, double s);
void clamp_in_place(const Tensor& x, double lo, double hi);

}  // namespace lm::ops
