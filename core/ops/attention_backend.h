// Backend entry points of the blocked softmax attention (attention_cpu.cpp, attention_cuda.cu).
// Tensors are contiguous; q, k, v, out, dq, dk, dv are [B, H, N, D]; mask is [B, N]; lse is
// [B, H, N].
#pragma once

#include "core/ops/attention.h"

namespace lm::cpu {
void softmax_attention_forward(const Tensor& out,
                               const Tensor& lse,
                               const Tensor& q,
                               const Tensor& k,
                               const Tensor& v,
                               const Tensor& mask,
                               const ops::SoftmaxAttentionConfig& cfg);
void softmax_attention_backward(const Tensor& dq,
                                const Tensor& dk,
                                const Tensor& dv,
                                const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const Tensor& out,
                                const Tensor& lse,
                                const Tensor& dout,
                                const ops::SoftmaxAttentionConfig& cfg);
}  // namespace lm::cpu

namespace lm::cuda {
void softmax_attention_forward(const Tensor& out,
                               const Tensor& lse,
                               const Tensor& q,
                               const Tensor& k,
                               const Tensor& v,
                               const Tensor& mask,
                               const ops::SoftmaxAttentionConfig& cfg);
void softmax_attention_backward(const Tensor& dq,
                                const Tensor& dk,
                                const Tensor& dv,
                                const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const Tensor& out,
                                const Tensor& lse,
                                const Tensor& dout,
                                const ops::SoftmaxAttentionConfig& cfg);
}  // namespace lm::cuda
