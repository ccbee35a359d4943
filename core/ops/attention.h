// Exact softmax attention with a fused backward pass, and the key mask every attention uses
// (no autograd; see core/autograd/attention.h for the differentiable wrappers; Nystrom attention
// is its own family, core/ops/nystrom.h). Layout: q, k, v, out [B, H, N, D]; mask [B, N] float with
// 1 = token and 0 = padding.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor/tensor.h"

namespace lm::ops {

struct AttentionGrads {
    Tensor dq, dk, dv;
};

// ---- exact softmax attention, computed one block of query rows at a time
//   out = dropout(softmax(scale q k^T + mask_value (1 - mask_key))) v
// Forward keeps only out and the per-row log-sum-exp; backward recomputes the probabilities
// block by block, so no [N, N] matrix outlives one block of rows.
struct SoftmaxAttentionConfig {
    double scale = 1.0;
    double mask_value = -1e6;       // additive bias on padded keys (the reference's -1e6)
    double dropout = 0.0;           // attention-probability dropout (training only)
    uint64_t seed = 0, offset = 0;  // Philox stream of the dropout mask
};
// Query rows per block (bounds the scratch to block_rows x N per thread).
inline constexpr int64_t kAttentionBlockRows = 64;

Tensor softmax_attention_forward(const Tensor& q,
                                 const Tensor& k,
                                 const Tensor& v,
                                 const Tensor& mask,
                                 const SoftmaxAttentionConfig& cfg,
                                 Tensor* lse);
AttentionGrads softmax_attention_backward(const Tensor& q,
                                          const Tensor& k,
                                          const Tensor& v,
                                          const Tensor& mask,
                                          const Tensor& out,
                                          const Tensor& lse,
                                          const Tensor& dout,
                                          const SoftmaxAttentionConfig& cfg);
// Philox blocks the dropout of one call reserves.
uint64_t softmax_attention_dropout_blocks(int64_t B, int64_t H, int64_t N);

// The additive key mask of every attention: `value` (e.g. -1e9) on padded keys, 0 on tokens,
// from mask [B, N] (1 = token) as [B, 1, 1, N] (broadcast over heads and query rows). A constant
// (no gradient).
Tensor key_bias(const Tensor& mask, double value);

}  // namespace lm::ops
