#include "layers/attention/performer_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/random_features.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> PerformerKernel::options() {
    return {
        integer_option<AttentionConfig>("performer_features", &PerformerOptions::performer_features,
                                        1, 1 << 20, "orthogonal random features m"),
        integer_option<AttentionConfig>("redraw_interval", &PerformerOptions::redraw_interval, 0,
                                        INT64_MAX,
                                        "redraw the features every N training calls (0 = never)"),
        choice_option<AttentionConfig>("scale", &PerformerOptions::scale, {"standard", "reference"},
                                       "softmax(q.k/sqrt(d)), or the reference's q.k/d"),
    };
}

PerformerKernel::PerformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : features_(cfg.performer_features),
      head_dim_(ctx.head_dim),
      redraw_interval_(cfg.redraw_interval),
      reference_scale_(cfg.scale == "reference"),
      redraw_gen_(ctx.dropout) {
    omega = orthogonal_gaussian_features(features_, head_dim_, *ctx.init).to(DType::Float32);
    calls = zeros({1}, {DType::Int64});
    register_buffer("omega", &omega);
    register_buffer("calls", &calls);
}

double PerformerKernel::logit_scale() const {
    const double d = static_cast<double>(head_dim_);
    return reference_scale_ ? 1.0 / d : 1.0 / std::sqrt(d);
}

void PerformerKernel::maybe_redraw() {
    if (!is_training() || redraw_interval_ <= 0) return;
    NoGradGuard no_grad;
    const int64_t done = static_cast<int64_t>(calls.item());
    calls.fill_(static_cast<double>(done + 1));
    if (done == 0 || done % redraw_interval_ != 0) return;
    const Tensor fresh = orthogonal_gaussian_features(features_, head_dim_, *redraw_gen_);
    omega.copy_(fresh.to(omega.device()));
}

Tensor PerformerKernel::forward(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask) {
    LM_CHECK(q.size(3) == omega.size(1), "performer: head_dim ", q.size(3),
             " differs from the features' ", omega.size(1));
    maybe_redraw();
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), m = omega.size(0);
    const double s = std::sqrt(logit_scale()), norm = 1.0 / std::sqrt(static_cast<double>(m));
    const Tensor m4 = row_mask(mask);
    const Tensor w = omega.detach().to(q.dtype());
    const Tensor xq = q * s, xk = k * m4 * s;
    const Tensor dq = matmul(xq, w.mT()), dk = matmul(xk, w.mT());  // [B, H, N, m]
    const Tensor hq = 0.5 * sum(square(xq), {3}, true), hk = 0.5 * sum(square(xk), {3}, true);
    const Tensor max_q = max(dq, 3, true).first;
    // max over the real keys and all features of a slice: padded rows pushed to -1e30
    const Tensor masked = (dk + (m4 - 1.0) * 1e30).reshape({B, H, N * m});
    const Tensor max_k = max(masked, 2, true).first.unsqueeze(3);
    const Tensor phi_q = (exp(dq - hq - max_q) + kEps) * norm;
    // padded rows' exponents are zeroed (their features are dropped anyway), so no inf * 0
    const Tensor phi_k = (exp((dk - hk - max_k) * m4) + kEps) * norm;
    FeatureAttentionOptions opts;
    opts.eps = 0.0;  // the +1e-4 keeps the denominator positive
    return feature_attention(phi_q, phi_k, v, mask, opts);
}

}  // namespace lm::nn
