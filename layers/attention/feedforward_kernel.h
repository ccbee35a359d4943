// "feedforward_kernel": linear attention with a trainable feed-forward feature map, after
// Yorsh & Kovalenko 2022. RECONSTRUCTED (attention-variants.md section 2.2): only the paper's
// abstract was available, so this is the generic trainable-kernel template, not its verified
// design:
//   phi(x) = g(W2 act(W1 x + b1) + b2),  W1 [r, d], W2 [m, r],  g positive
//   out_i = phi(q_i) sum_j phi(k_j) v_j^T / (phi(q_i) . sum_j phi(k_j) + 1e-6)
// The same phi for q and k (a symmetric kernel phi(q).phi(k)), shared across heads or one per
// head (ff_per_head); act = gelu | relu; g = softplus (default) | elu1 (elu + 1) | exp.
// Weights use PyTorch's Linear init. Time O(N (d r + r m + m D)), memory O(N (r + m)).
#pragma once

#include "layers/attention/kernel.h"

namespace lm::nn {

class FeedforwardKernel : public AttentionKernel {
  public:
    static constexpr double kEps = 1e-6;

    FeedforwardKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return "feedforward_kernel"; }
    // phi of x [B, H, N, d] -> [B, H, N, m].
    Tensor feature_map(const Tensor& x) const;

    // Shared: w1 [r, d], b1 [r], w2 [m, r], b2 [m]; per head: w1 [H, r, d], b1 [H, 1, r], ...
    Tensor w1, b1, w2, b2;

  private:
    std::string activation_, positive_;
};

}  // namespace lm::nn
