// Random projections drawn on the host from the framework's Philox generator (never std::
// distributions), so they depend only on the generator state.
#pragma once

#include <cstdint>

#include "core/base/rng.h"
#include "core/tensor/tensor.h"

namespace lm::nn {

// Performer's orthogonal random features (ORF), float64 [m, d]: ceil(m / d) independent d x d
// orthogonal blocks (QR of Gaussian blocks, computed in double by Gram-Schmidt applied twice),
// stacked and cut to m rows; row i is then scaled by the norm of an independent N(0, I_d)
// vector, so every row is marginally N(0, I_d) while rows of one block stay orthogonal.
Tensor orthogonal_gaussian_features(int64_t m, int64_t d, Generator& gen);

// Replaces the columns of the row-major d x d matrix `a` by an orthonormal basis of their span
// (the Q of its QR decomposition), by modified Gram-Schmidt applied twice.
void orthonormalize_columns(double* a, int64_t d);

}  // namespace lm::nn
