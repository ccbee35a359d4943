// "performer": FAVOR+ (Choromanski et al. 2021) with positive orthogonal random features:
//   phi(x) = m^-1/2 (exp(w_i . x - ||x||^2 / 2 - max) + 1e-4)_i,  E[phi(x) . phi(y)] ~ exp(x . y)
//   out = phi(Q) (phi(K)^T V) / (phi(Q) phi(K)^T 1)
// with x = q s, y = k s and s = d^-1/4 ("standard": softmax(q.k / sqrt(d))) or s = d^-1/2
// ("reference": the Skyformer/Nystromformer port divides by d^1/4 twice, softmax(q.k / d)).
// Stabilisers as the reference: max = the row max of w.x for queries and the max over all real
// keys and features of one (batch, head) slice for keys (JAX's per-slice max; constants that
// cancel up to the 1e-4). Gradients flow through both maxes (differentiable almost everywhere),
// so the backward is the exact gradient of this forward; JAX's stop_gradient differs from it by
// O(1e-4). Padded keys' features are zeroed (the reference lets them add ~exp(-max) + 1e-4 to
// the denominator).
// w [m, d]: orthogonal Gaussian blocks, rows scaled by Gaussian norms, drawn from the init
// generator (persistent buffer) and, with redraw_interval N > 0, redrawn from the dropout
// generator before every N-th further training-mode forward call.
// Time O(N m d), memory O(N m).
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "performer" (model.attention.*).
struct PerformerOptions {
    int64_t performer_features = 128;  // orthogonal random features m
    int64_t redraw_interval = 0;       // redraw the features every N training calls (0 = never)
    std::string scale = "standard";    // standard q.k/sqrt(d) | reference q.k/d
};

class PerformerKernel : public AttentionKernel {
  public:
    using Options = PerformerOptions;
    static constexpr const char* kName = "performer";
    static constexpr const char* kSize = "performer_features";
    static std::vector<AttentionOption> options();
    static constexpr double kEps = 1e-4;

    PerformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    // The logit scale the features estimate: 1/sqrt(d) (standard) or 1/d (reference).
    double logit_scale() const;

    Tensor omega;  // [m, d] random features (persistent buffer)
    Tensor calls;  // int64 [1]: training-mode forward calls so far (persistent buffer)

  private:
    void maybe_redraw();

    int64_t features_, head_dim_, redraw_interval_;
    bool reference_scale_;
    Generator* redraw_gen_;
};

}  // namespace lm::nn
