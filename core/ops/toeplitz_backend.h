// Backend entry points of the Toeplitz-by-FFT products (core/ops/toeplitz.h); tensors are
// contiguous with x, y, dy [S, n, r] (S = batch * G slices, slice s in group s % G), c [G, 2n - 1]
// and dc [G, 2n - 1]. The CPU side uses FFTW real transforms; the CUDA side (cuFFT) is declared
// here and implemented with the CUDA backend.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void toeplitz_matmul(const Tensor& y, const Tensor& c, const Tensor& x, bool transpose);
void toeplitz_coeff_grad(const Tensor& dc, const Tensor& dy, const Tensor& x);
}  // namespace lm::cpu

namespace lm::cuda {
void toeplitz_matmul(const Tensor& y, const Tensor& c, const Tensor& x, bool transpose);
void toeplitz_coeff_grad(const Tensor& dc, const Tensor& dy, const Tensor& x);
}  // namespace lm::cuda
