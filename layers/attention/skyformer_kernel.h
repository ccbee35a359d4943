// "skyformer" (Chen et al. 2021; docs/attention.md, "skyformer", as the official code computes
// it): Gaussian-kernel attention C V, C_ij = kappa(q_i', k_j'), kappa(a, b) = exp(-||a - b||^2/2),
// q' = q d^-1/4, k' = k d^-1/4, approximated by Nystrom on the lifted PSD matrix of [q'; k']:
//   X_S = s landmarks sampled uniformly (with replacement) from the example's real positions:
//         the first s/2 from the q' rows, the rest from the k' rows; shared by the heads; fresh
//         every forward from the dropout generator in training, from a fixed stream restarted
//         for every example in eval (so a prediction depends on the example alone)
//   Qf = kappa(q', X_S), Kf = kappa(k', X_S), M = kappa(X_S, X_S) + gamma I   (gamma = 0.1)
//   r = M 1,  M^ = diag(r)^-1/2 M diag(r)^-1/2,  Z = pinv_NS(M^)   (pinv_iterations, pinv_init)
//   out = Qf [ (diag(mask) Kf diag(r)^-1/2 Z diag(r)^-1/2)^T (V * mask) ]
// The output is unnormalised (no division by row sums), as in the paper and code. An example
// with skyformer_landmarks >= 2L (L real tokens) takes its 2L real rows of [q'; k'] as landmarks
// (no sampling): with gamma = 0 and a converged inverse this reproduces C V exactly. Its unused
// slots of the batch's min(s, 2N) are masked out (zero columns of Qf and Kf, identity rows of M).
// Time O(N s d + s^3), memory O(N s).
#pragma once

#include "core/ops/nystrom.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "skyformer" (model.attention.*).
struct SkyformerOptions {
    int64_t skyformer_landmarks = 128;  // landmarks (half q rows, half k rows)
    double gamma = 0.1;                 // ridge gamma I added to the landmark kernel
};

class SkyformerKernel : public AttentionKernel {
  public:
    using Options = SkyformerOptions;
    static constexpr const char* kName = "skyformer";
    static constexpr const char* kSize = "skyformer_landmarks";
    static std::vector<AttentionOption> options();
    SkyformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    ExampleCoupling coupling() const override {
        return pinv_init_ == ops::PinvInit::Global ? ExampleCoupling::Batch : ExampleCoupling::None;
    }

  private:
    // Row indices into [q'; k'] [B, 2N] of each example's landmarks, drawn from `gen` or, when
    // null, from a fixed stream restarted per example.
    std::vector<std::vector<int64_t>> landmark_rows(const Tensor& mask, Generator* gen) const;

    int64_t landmarks_, iterations_;
    double gamma_;
    ops::PinvInit pinv_init_;
    Generator* gen_;
};

// kappa(a_i, b_j) = exp(a_i . b_j - ||a_i||^2 / 2 - ||b_j||^2 / 2) for a [.., n, d], b [.., s, d].
Tensor gaussian_kernel(const Tensor& a, const Tensor& b);

}  // namespace lm::nn
