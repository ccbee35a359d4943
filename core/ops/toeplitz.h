// Products with Toeplitz matrices through the FFT (no autograd; the differentiable wrapper is
// core/autograd/toeplitz.h). A Toeplitz matrix C [n, n] with C_ij = c_{j-i} is given by its
// 2n - 1 coefficients c_{-(n-1)} ... c_{n-1}, stored at index k + n - 1.
//
// Layout: x [..., G, n, r] (any leading batch dims), c [G, 2n - 1]: group g (e.g. a head) has
// its own coefficients, shared over the leading dims. Cost O(r n log n) per (batch, group).
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

// y[.., g, i, :] = sum_j c[g, j - i + n - 1] x[.., g, j, :]           (y = C x)
// transpose: y[.., g, i, :] = sum_j c[g, i - j + n - 1] x[.., g, j, :]  (y = C^T x)
Tensor toeplitz_matmul(const Tensor& c, const Tensor& x, bool transpose = false);

// The coefficient gradient of y = C x for an upstream gradient dy: the cross-correlation
//   dc[g, k + n - 1] = sum_{..} sum_i sum_r dy[.., g, i, r] x[.., g, i + k, r],  |k| < n,
// summed over the leading dims in a fixed order (deterministic for any thread count).
Tensor toeplitz_coeff_grad(const Tensor& dy, const Tensor& x);

// FFT length used for sequences of length n: the smallest even 2^a 3^b 5^c 7^d >= 2n - 1.
int64_t toeplitz_fft_size(int64_t n);

}  // namespace lm::ops
