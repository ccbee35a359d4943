// "spectral_shift": spectral-shifting Nystrom attention after "Beyond Nystromformer" (Verma 2021).
// RECONSTRUCTED (docs/attention.md, "spectral_shift"): only the paper's abstract was available; the
// method below is SS-Nystrom (Wang et al. 2014) on the Nystromformer pieces, with our δ estimate.
// With Nystromformer's F = softmax(Q' K~^T), A = softmax(Q~ K~^T), Bk = softmax(Q~ K'^T + mask)
// (q' = q mask d^-1/4, segment-mean landmarks ~, as in nystrom), model S = softmax(q k^T / sqrt d)
// as
//   S^ = F (A - δ I)^+ Bk + δ I,   so   out = F [pinv_NS(A - δ I) (Bk V)] + δ V,
// pinv_NS started from Z0 = (A - δI)^T / (||.||_1 ||.||_inf) with absolute sums (A - δI can be
// negative). δ is SS-Nystrom's mean unexplained trace, estimated in linear time per (batch, head):
//   δ = clamp((sum_i S^_ii - tr(pinv_NS(A) (Bk F))) / max(n - m, 1), 0, 1 - 1e-6)
// over the n real tokens, where S_ii = e^{s_ii} / (e^{s_ii} + sum_{j != i} e^{s_ij}) and the
// off-diagonal sum is estimated from r keys sampled without replacement from the real positions
// (all of them when r >= n: then the diagonal is exact), rescaled by (n - 1) / |R \ {i}|.
// In training the samples are fresh each forward, from the dropout generator; in evaluation every
// example restarts one fixed stream, so its samples depend on its real positions alone. By
// default δ is a constant (no gradient). Landmarks follow nystrom's landmark_mode: per-example
// segments of the real tokens (an example with L <= m tokens has L landmarks and n - m = 0), or
// the reference's segments of the padded length (padded to a multiple of m; m >= the padded
// length is exact softmax attention, δ = 0). The conv skip on V is added as in nystrom.
// Time O(N m d + N r d + m^3), memory O(N (m + r)).
#pragma once

#include "core/ops/nystrom.h"
#include "layers/attention/attention_kernel.h"

namespace lm::nn {

struct SpectralShiftParams {
    int64_t landmarks = 64;
    int64_t iterations = 6;
    int64_t samples = 64;
    bool detach = true;
    ops::LandmarkMode mode = ops::LandmarkMode::PerExample;
    Tensor fixed_delta;  // [B, H]: when defined, used instead of the estimate (tests, ablations)
};

// The attention core (no conv skip); `delta` receives δ [B, H] when given. Trace samples come
// from `gen`, or, when it is null, from a fixed stream restarted for every example.
Tensor spectral_shift_attention(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const SpectralShiftParams& opts,
                                Generator* gen,
                                Tensor* delta = nullptr);

// sum over real rows i of the estimated softmax diagonal S_ii, for q' = q mask d^-1/4 and
// k' = k mask d^-1/4 [B, H, N, d] (scores q'.k'): [B, H]. Exact when samples >= the real length.
Tensor softmax_trace_estimate(
    const Tensor& qs, const Tensor& ks, const Tensor& mask, int64_t samples, Generator* gen);

// The config options of "spectral_shift" (model.attention.*).
struct SpectralShiftOptions {
    int64_t shift_samples = 64;  // keys sampled per row for the delta estimate
    bool shift_detach = true;    // delta is a constant (stop-gradient)
};

class SpectralShiftKernel : public AttentionKernel {
  public:
    using Options = SpectralShiftOptions;
    static constexpr const char* kName = "spectral_shift";
    static constexpr const char* kSize = "landmarks";
    static std::vector<AttentionOption> options();
    SpectralShiftKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    ExampleCoupling coupling() const override {
        return opts_.mode == ops::LandmarkMode::PerExample ? ExampleCoupling::None
                                                           : ExampleCoupling::PaddedLength;
    }
    // δ [B, H] of the last forward call.
    const Tensor& last_delta() const { return delta_; }

    Tensor conv_weight;  // [H, K]; undefined when the skip is off

  private:
    SpectralShiftParams opts_;
    Generator* gen_;
    Tensor delta_;
};

}  // namespace lm::nn
