// "schoenbat": random Maclaurin feature attention with the two-stage regularisation of SchoenbAt
// (Guo et al. 2025; docs/attention.md, "schoenbat", from the official code):
//   pre-SBN  x <- (x - mean x) / sqrt(var x + 1e-12), x <- x / ||x||, then x <- x d^-1/4
//            (q and k separately, per token and head; |q.k| <= d^-1/2 < 1)
//   phi(x) = [sqrt(a_0), f_1(x), ..., f_D(x)],  D = m - 1,
//   f_t(x) = sqrt(a_k / P(k)) prod_{j=1..k} (w_tj . x) / sqrt(D),  k = degree of feature t,
//            P(N = k) proportional to 2^-(k+1) on k = 1..20, w_tj Rademacher in {-1, 1}^d,
//            so E[phi(x).phi(y)] = sum_k a_k (x.y)^k = f(x.y) for the dot kernel f (`dotf`)
//   out_i = phi(q_i) sum_j phi(k_j) v_j^T / max(phi(q_i) . sum_j phi(k_j), 1)   (non-causal)
//   post-SBN out <- gamma * out, gamma [d] learned per channel, init 1, shared across heads
//            (the 547e87a version of the code)
// Degrees and signs are drawn once from the init generator and kept in the persistent buffer
// `projection`. Time O(N m d E[k]), memory O(N m E[k]) with E[k] ~ 2.
#pragma once

#include <vector>

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "schoenbat" (model.attention.*).
struct SchoenbatOptions {
    int64_t schoenbat_features = 128;  // Maclaurin features (1 constant + m - 1 random)
    std::string dotf = "exp";          // dot kernel: exp | inverse | logi | trigh | sqrt
};

// The dot-product kernel f of `dotf` (trigh = cosh + sinh = exp, kept as its own name).
enum class DotKernel { Exp, Inverse, Logi, Trigh, Sqrt };
// "exp", "inverse", "logi", "trigh" or "sqrt"; anything else is an error naming the choices.
DotKernel parse_dot_kernel(const std::string& name);

class SchoenbatKernel : public AttentionKernel {
  public:
    using Options = SchoenbatOptions;
    static constexpr const char* kName = "schoenbat";
    static constexpr const char* kSize = "schoenbat_features";
    static std::vector<AttentionOption> options();
    static constexpr int64_t kMaxDegree = 20;

    SchoenbatKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    DotKernel dotf() const { return dotf_; }
    // phi of pre-SBN'd x [B, H, N, d] -> [B, H, N, m].
    Tensor feature_map(const Tensor& x) const;

    // Row t * slots + j holds [w_tj, 0] (slot 0 also scaled by the feature's coefficient) for
    // j < degree(t) and [0, ..., 0, 1] for the unused slots, so that the product over slots of
    // [x, 1] . row is f_t(x): [D * slots, d + 1].
    Tensor projection;
    Tensor post_scale;  // gamma [d]

  private:
    DotKernel dotf_;
    int64_t slots_ = 1;
    double a0_ = 1.0;
};

// Pre-SBN of q or k [B, H, N, d]: centred, standardised, unit-normalised, times d^-1/4.
Tensor schoenbat_pre_sbn(const Tensor& x);
// Maclaurin coefficients a_0 .. a_max_degree of the dot kernel.
std::vector<double> maclaurin_coefficients(DotKernel dotf, int64_t max_degree);
// f(t) elementwise: exp(t), 1/(1-t), 1 - log(1-t), cosh t + sinh t, 2 - sqrt(1-t).
Tensor dot_kernel(const Tensor& t, DotKernel dotf);

}  // namespace lm::nn
