// Backend entry points of the attention cores and their primitives. Tensors are contiguous;
// q, k, v, out, dq, dk, dv are [B, H, N, D]; mask is [B, N]; lse is [B, H, N];
// order, bounds and segment are the int64 tensors of ops::LandmarkSegments.
#pragma once

#include "core/ops/attention.h"

namespace lm::cpu {
void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds);
void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds);
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
void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds);
void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds);
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
