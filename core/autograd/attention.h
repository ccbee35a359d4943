// Differentiable attention cores (fused forward and backward kernels from core/ops/attention.h).
// q, k, v [B, H, N, D]; mask [B, N] float, 1 = token, 0 = padding.
#pragma once

#include "core/base/rng.h"
#include "core/ops/nystrom.h"
#include "core/tensor/tensor.h"

namespace lm {

struct SoftmaxAttentionOptions {
    double scale = 0.0;        // 0: 1/sqrt(D)
    double mask_value = -1e6;  // additive bias on padded keys
    double dropout = 0.0;      // on attention probabilities, when training
};

// softmax(scale q k^T + mask_value (1 - mask)) v, one block of query rows at a time.
Tensor softmax_attention(const Tensor& q,
                         const Tensor& k,
                         const Tensor& v,
                         const Tensor& mask,
                         const SoftmaxAttentionOptions& opts = {},
                         bool training = false,
                         Generator& gen = default_generator());

// Nystrom attention (ops::nystrom_attention_forward; its (F Z) W product evaluated as F (Z W),
// equal up to rounding; without the conv skip, which the caller adds). Any N works.
//   PerExample landmarks: each example's own real tokens, min(m, L) landmarks; independent of the
//     padding and of the rest of the batch when the pinv init is PerMatrix.
//   Reference landmarks: N is padded internally to a multiple of the landmark count, the padding
//     counted in the segment means as the reference counts padding; when the landmark count
//     reaches the padded length the exact branch runs (softmax of the masked, d^-1/4-scaled q, k
//     with -1e9 on padded keys), as in the reference.
Tensor nystrom_attention(const Tensor& q,
                         const Tensor& k,
                         const Tensor& v,
                         const Tensor& mask,
                         const ops::NystromConfig& cfg);

// Landmark means of x [B, H, N, D] over the segments of `seg` (ops::landmark_segments built from
// the same [B, N] mask): [B, H, M, D], differentiable in x.
Tensor landmark_means(const Tensor& x, const ops::LandmarkSegments& seg);

}  // namespace lm
