// Backend entry points of the attention cores and their primitives. Tensors are contiguous;
// q, k, v, out, dq, dk, dv are [B, H, N, D]; mask is [B, N]; lse is [B, H, N].
#pragma once

#include "core/ops/attention.h"

#define LM_ATTENTION_BACKEND_DECLS                                                              \
    void segment_mean(const Tensor& out, const Tensor& x, int64_t m);                           \
    void segment_mean_backward(const Tensor& dx, const Tensor& dy);                             \
    void softmax_attention_forward(const Tensor& out, const Tensor& lse, const Tensor& q,       \
                                   const Tensor& k, const Tensor& v, const Tensor& mask,       \
                                   const ops::SoftmaxAttentionConfig& cfg);                     \
    void softmax_attention_backward(const Tensor& dq, const Tensor& dk, const Tensor& dv,      \
                                    const Tensor& q, const Tensor& k, const Tensor& v,         \
                                    const Tensor& mask, const Tensor& out, const Tensor& lse,  \
                                    const Tensor& dout, const ops::SoftmaxAttentionConfig& cfg);

namespace lm::cpu {
LM_ATTENTION_BACKEND_DECLS
}  // namespace lm::cpu

namespace lm::cuda {
LM_ATTENTION_BACKEND_DECLS
}  // namespace lm::cuda
