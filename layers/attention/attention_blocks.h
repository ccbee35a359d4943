// Building blocks shared by the attention zoo (docs/attention.md): padding-mask helpers, the
// generic kernelized (linear) attention (docs/attention.md, "linear"), and the
// Newton-Schulz pseudo-inverse (docs/attention.md, "nystrom") written with differentiable ops
// (autograd unrolls it). Shapes: q, k, v [B, H, N, D]; mask [B, N] float, 1 = token, 0 = padding.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ops/nystrom.h"
#include "core/tensor/tensor.h"

namespace lm::nn {

// mask [B, N] as [B, 1, N, 1] (no gradient): multiplies away padded rows of q, k, v or features.
Tensor row_mask(const Tensor& mask);
// x / sqrt(||x||^2 + eps) over the last dim (a zero row stays zero).
Tensor l2_normalize(const Tensor& x, double eps = 1e-12);
// The real (mask = 1) positions of each batch element, in order (host copy of the mask).
std::vector<std::vector<int64_t>> real_positions(const Tensor& mask);

// Kernelized attention with feature maps phi_q, phi_k [B, H, N, m]:
//   out_i = phi_q,i (sum_j phi_k,j v_j^T) / den_i,  den_i = phi_q,i . sum_j phi_k,j
// with the rows of padded keys zeroed first, so they never reach a real query. The denominator
// is den + eps, or max(den, min_denominator) when that is positive (SchoenbAt's clamp at 1).
// Time O(N m D), memory O(N m + m D).
struct FeatureAttentionOptions {
    double eps = 1e-6;
    double min_denominator = 0.0;
};
Tensor feature_attention(const Tensor& phi_q,
                         const Tensor& phi_k,
                         const Tensor& v,
                         const Tensor& mask,
                         const FeatureAttentionOptions& opts = {});

// `iterations` steps of Z <- Z (13I - AZ (15I - AZ (7I - AZ))) / 4 for A [..., m, m].
// Z0 = A^T / c with c chosen by `init` (ops::PinvInit).
Tensor newton_schulz_pinv(const Tensor& A, int64_t iterations, ops::PinvInit init);

}  // namespace lm::nn
