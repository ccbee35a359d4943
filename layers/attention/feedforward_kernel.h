// "feedforward_kernel": linear attention with a trainable feed-forward feature map, after
// Yorsh & Kovalenko 2022. RECONSTRUCTED (docs/attention.md, "feedforward_kernel"): only the paper's
// abstract was available, so this is the generic trainable-kernel template, not its verified
// design:
//   phi(x) = g(W2 act(W1 x + b1) + b2),  W1 [r, d], W2 [m, r],  g positive
//   out_i = phi(q_i) sum_j phi(k_j) v_j^T / (phi(q_i) . sum_j phi(k_j) + 1e-6)
// The same phi for q and k (a symmetric kernel phi(q).phi(k)), shared across heads or one per
// head (ff_per_head); act = gelu | relu; g = softplus (default) | elu1 (elu + 1) | exp.
// Weights use PyTorch's Linear init. Time O(N (d r + r m + m D)), memory O(N (r + m)).
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "feedforward_kernel" (model.attention.*).
struct FeedforwardOptions {
    int64_t ff_features = 64;              // feature dimension m of phi
    int64_t ff_hidden = 64;                // hidden width of the phi MLP
    std::string ff_activation = "gelu";    // hidden activation: gelu | relu
    std::string ff_positive = "softplus";  // output map: softplus | elu1 | exp
    bool ff_per_head = false;              // one phi per head (else shared)
};

class FeedforwardKernel : public AttentionKernel {
  public:
    using Options = FeedforwardOptions;
    static constexpr const char* kName = "feedforward_kernel";
    static constexpr const char* kSize = "ff_features";
    static std::vector<AttentionOption> options();
    static constexpr double kEps = 1e-6;

    FeedforwardKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    // phi of x [B, H, N, d] -> [B, H, N, m].
    Tensor feature_map(const Tensor& x) const;

    // Shared: w1 [r, d], b1 [r], w2 [m, r], b2 [m]; per head: w1 [H, r, d], b1 [H, 1, r], ...
    Tensor w1, b1, w2, b2;

  private:
    enum class Hidden { Relu, Gelu };
    enum class Positive { Softplus, Elu1, Exp };
    static Hidden parse_hidden(const std::string& name);
    static Positive parse_positive(const std::string& name);
    Hidden activation_;
    Positive positive_;
};

}  // namespace lm::nn
