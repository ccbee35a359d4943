// Differentiable Toeplitz-by-FFT product (kernelized attention with relative positions).
#pragma once

#include "core/tensor/tensor.h"

namespace lm {

// y[.., g, i, :] = sum_j c[g, j - i + n - 1] x[.., g, j, :] for x [..., G, n, r] and coefficients
// c [G, 2n - 1] (c_k at index k + n - 1). O(r n log n) through the FFT (core/ops/toeplitz.h).
// Backward: dx = C^T dy (the same product with the reversed coefficients) and
// dc_k = sum_i sum_r dy[i, r] x[i + k, r] (an FFT cross-correlation), summed over the leading dims.
Tensor toeplitz_matmul(const Tensor& c, const Tensor& x);

}  // namespace lm
