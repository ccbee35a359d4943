// Nystrom attention and landmark means as autograd nodes: the forward keeps the state its fused
// backward needs (ops::NystromState); the reference mode's padding and exact branch are here.
#include <algorithm>
#include <cmath>
#include <memory>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/nystrom.h"

namespace lm {

Tensor landmark_means(const Tensor& x, const ops::LandmarkSegments& seg) {
    LM_CHECK(x.dim() == 4, "landmark_means: x must be [B, H, N, D], got ", x.shape().str());
    const int64_t B = x.size(0), H = x.size(1), N = x.size(2), D = x.size(3);
    const Tensor flat = x.detach().contiguous().view({B * H, N, D});
    Tensor out = ops::landmark_mean(flat, seg).view({B, H, seg.landmarks(), D});
    record("LandmarkMeansBackward", {&x}, out, [seg, B, H, N, D](const Tensor& dy) {
        Tensor dx = zeros({B * H, N, D}, {dy.dtype(), dy.device()});
        ops::landmark_mean_backward_add(dx, dy.contiguous().view({B * H, seg.landmarks(), D}), seg);
        return std::vector<Tensor>{dx.view({B, H, N, D})};
    });
    return out;
}

namespace {

// The reference's exact branch (m equal to the padded length).
Tensor nystrom_exact(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
    const int64_t B = q.size(0), N = q.size(2), D = q.size(3);
    const double s = 1.0 / std::sqrt(std::sqrt(static_cast<double>(D)));
    const Tensor mask4 = mask.detach().view({B, 1, N, 1});
    const Tensor qs = q * mask4 * s, ks = k * mask4 * s;
    SoftmaxAttentionOptions opts;
    opts.scale = 1.0;
    opts.mask_value = -1e9;
    return softmax_attention(qs, ks, v, mask, opts, false);
}

Tensor nystrom_core(const Tensor& q,
                    const Tensor& k,
                    const Tensor& v,
                    const Tensor& mask,
                    const ops::NystromConfig& cfg) {
    auto state = std::make_shared<ops::NystromState>();
    const bool grad = should_record({&q, &k, &v});
    Tensor out = ops::nystrom_attention_forward(q.detach(), k.detach(), v.detach(), mask.detach(),
                                                cfg, grad ? state.get() : nullptr);
    record("NystromAttentionBackward", {&q, &k, &v}, out, [state](const Tensor& dy) {
        ops::AttentionGrads g = ops::nystrom_attention_backward(*state, dy);
        return std::vector<Tensor>{g.dq, g.dk, g.dv};
    });
    return out;
}

}  // namespace

Tensor nystrom_attention(const Tensor& q,
                         const Tensor& k,
                         const Tensor& v,
                         const Tensor& mask,
                         const ops::NystromConfig& cfg) {
    LM_CHECK(q.dim() == 4, "nystrom_attention: q must be [B, H, N, D], got ", q.shape().str());
    LM_CHECK(cfg.landmarks > 0, "nystrom_attention: the landmark count must be positive, got ",
             cfg.landmarks);
    LM_CHECK(cfg.iterations >= 0, "nystrom_attention: pinv iterations must be >= 0");
    // Per-example landmarks take any N: slots an example cannot fill are masked inside.
    if (cfg.mode == ops::LandmarkMode::PerExample) return nystrom_core(q, k, v, mask, cfg);
    const int64_t N = q.size(2), m = cfg.landmarks;
    const int64_t padded = std::max(m, (N + m - 1) / m * m);
    if (padded == N) {
        return m == N ? nystrom_exact(q, k, v, mask) : nystrom_core(q, k, v, mask, cfg);
    }
    // Pad the sequence with masked zeros; the segment means count them as the reference counts
    // padding, and only the first N output rows are kept.
    const std::vector<int64_t> pads = {0, 0, 0, padded - N};
    const Tensor qp = pad(q, pads), kp = pad(k, pads), vp = pad(v, pads);
    const Tensor mp = pad(mask.detach(), {0, padded - N});
    const Tensor out =
        m == padded ? nystrom_exact(qp, kp, vp, mp) : nystrom_core(qp, kp, vp, mp, cfg);
    return out.narrow(2, 0, N);
}

}  // namespace lm
