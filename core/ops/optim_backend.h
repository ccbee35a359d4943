// Backend entry points of the optimizer ops; every tensor is contiguous and on the backend's
// device, and the checks are done (ops/optim.cpp).
#pragma once

#include "core/kernels/optim.h"
#include "core/tensor/tensor.h"

namespace lm::cpu {
void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs);
// momentum_buffer is undefined when coeffs.momentum == 0
void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs);
double sum_of_squares(const Tensor& x);
void scale_in_place(const Tensor& x, double s);
void clamp_in_place(const Tensor& x, double lo, double hi);
}  // namespace lm::cpu

namespace lm::cuda {
void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs);
// momentum_buffer is undefined when coeffs.momentum == 0
void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs);
double sum_of_squares(const Tensor& x);
void scale_in_place(const Tensor& x, double s);
void clamp_in_place(const Tensor& x, double lo, double hi);
}  // namespace lm::cuda
