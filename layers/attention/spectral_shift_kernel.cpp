#include "layers/attention/spectral_shift_kernel.h"

#include <cmath>
#include <optional>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/registry.h"
#include "layers/init.h"

namespace lm::nn {

std::vector<AttentionOption> SpectralShiftKernel::options() {
    auto out = options_named(NystromKernel::options(),
                             {"landmarks", "pinv_iterations", "landmark_mode", "conv_kernel"});
    out.push_back(integer_option<AttentionConfig>("shift_samples",
                                                  &SpectralShiftOptions::shift_samples, 1, 1 << 20,
                                                  "keys sampled per row for the delta estimate"));
    out.push_back(bool_option<AttentionConfig>("shift_detach", &SpectralShiftOptions::shift_detach,
                                               "treat delta as a constant (no gradient)"));
    return out;
}

namespace {

// Seed of the sample stream each example restarts in eval (SpectralShiftParams::fixed_samples).
constexpr uint64_t kFixedSampleSeed = 0x5eed5a3b1e5ULL;

// Up to r of the positions, drawn without replacement (partial Fisher-Yates); all when r >= n.
std::vector<int64_t> sample_positions(std::vector<int64_t> pool, int64_t r, Generator& gen) {
    const int64_t n = static_cast<int64_t>(pool.size());
    if (r >= n) return pool;
    for (int64_t t = 0; t < r; ++t) {
        const int64_t j = t + static_cast<int64_t>(gen.uniform_int(static_cast<uint64_t>(n - t)));
        std::swap(pool[t], pool[j]);
    }
    pool.resize(static_cast<size_t>(r));
    return pool;
}

// Host-built constants of the trace estimate: gather indices [B, H, r, d], the validity of each
// sample slot [B, 1, 1, r], whether row i was sampled [B, 1, N, 1] and the rescaling
// (n - 1) / |R \ {i}| of the off-diagonal sum [B, 1, N, 1].
struct TraceSamples {
    Tensor index, valid, sampled, rescale;
};

TraceSamples draw_trace_samples(
    const Tensor& mask, int64_t H, int64_t d, int64_t samples, Generator* gen) {
    const auto real = real_positions(mask);
    const int64_t B = mask.size(0), N = mask.size(1);
    std::vector<std::vector<int64_t>> R(B);
    int64_t r = 1;
    for (int64_t b = 0; b < B; ++b) {
        // without a generator, every example draws from the same fixed stream: its samples
        // depend on its real positions alone (batch-independent evaluation)
        Generator fixed(kFixedSampleSeed);
        R[b] = sample_positions(real[b], samples, gen ? *gen : fixed);
        r = std::max<int64_t>(r, R[b].size());
    }
    std::vector<int64_t> index(static_cast<size_t>(B * H * r * d), 0);
    std::vector<double> valid(B * r, 0.0), sampled(B * N, 0.0), rescale(B * N, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t nb = static_cast<int64_t>(real[b].size());
        const int64_t rb = static_cast<int64_t>(R[b].size());
        for (int64_t t = 0; t < rb; ++t) {
            valid[b * r + t] = 1.0;
            sampled[b * N + R[b][t]] = 1.0;
            for (int64_t h = 0; h < H; ++h) {
                std::fill_n(index.begin() + ((b * H + h) * r + t) * d, d, R[b][t]);
            }
        }
        for (int64_t i = 0; i < N; ++i) {
            const double others = static_cast<double>(rb) - sampled[b * N + i];
            rescale[b * N + i] = others > 0 ? static_cast<double>(nb - 1) / others : 0.0;
        }
    }
    const TensorOptions f{mask.dtype(), mask.device()};
    return {from_vector(index, {B, H, r, d}, {DType::Int64, mask.device()}),
            from_vector(valid, {B, 1, 1, r}, f), from_vector(sampled, {B, 1, N, 1}, f),
            from_vector(rescale, {B, 1, N, 1}, f)};
}

}  // namespace

Tensor softmax_trace_estimate(
    const Tensor& qs, const Tensor& ks, const Tensor& mask, int64_t samples, Generator* gen) {
    const TraceSamples ts = draw_trace_samples(mask, qs.size(1), qs.size(3), samples, gen);
    const Tensor valid = ts.valid.to(qs.dtype()), sampled = ts.sampled.to(qs.dtype());
    const Tensor s_r = matmul(qs, gather(ks, 2, ts.index).mT());  // [B, H, N, r]
    const Tensor s_d = sum(qs * ks, {3}, true);                   // [B, H, N, 1]
    // row max over the diagonal and the valid samples (a constant: it cancels)
    const Tensor mx = maximum(s_d, max(s_r + (valid - 1.0) * 1e30, 3, true).first).detach();
    const Tensor e_d = exp(s_d - mx);
    const Tensor e_r = exp((s_r - mx) * valid) * valid;      // empty slots: exp(0) * 0
    const Tensor off = sum(e_r, {3}, true) - sampled * e_d;  // sum over R \ {i}
    const Tensor diag = e_d / (e_d + ts.rescale.to(qs.dtype()) * off);
    return sum(diag * row_mask(mask), {2, 3});
}

namespace {

// δ [B, H, 1, 1] from the Nystrom pieces; example b has `used[b]`
// landmarks.
Tensor estimate_delta(const Tensor& qs,
                      const Tensor& ks,
                      const Tensor& F,
                      const Tensor& A,
                      const Tensor& Bk,
                      const Tensor& mask,
                      const std::vector<int64_t>& used,
                      const SpectralShiftParams& o,
                      Generator* gen) {
    const int64_t B = qs.size(0), H = qs.size(1);
    const Tensor trace = softmax_trace_estimate(qs, ks, mask, o.samples, gen);  // [B, H]
    const Tensor Z = newton_schulz_pinv(A, o.iterations, ops::PinvInit::AbsNorms);
    const Tensor explained = sum(Z * matmul(Bk, F).mT(), {2, 3});  // tr(Z (Bk F)) = tr(F Z Bk)
    std::vector<double> denom;
    const auto real = real_positions(mask);
    for (int64_t b = 0; b < B; ++b) {
        const double n = static_cast<double>(real[b].size());
        denom.push_back(std::max<double>(n - static_cast<double>(used[b]), 1.0));
    }
    const Tensor n_minus_m = from_vector(denom, {B, 1}, {qs.dtype(), qs.device()});
    return clamp((trace - explained) / n_minus_m, 0.0, 1.0 - 1e-6).view({B, H, 1, 1});
}

// Landmarks each example uses: min(m, real length) per example, m for the reference's segments.
std::vector<int64_t> landmarks_used(const Tensor& mask, int64_t slots, ops::LandmarkMode mode) {
    std::vector<int64_t> used;
    for (const auto& pos : real_positions(mask)) {
        const int64_t n = static_cast<int64_t>(pos.size());
        used.push_back(mode == ops::LandmarkMode::Reference ? slots : std::min(slots, n));
    }
    return used;
}

// Landmarks from ops::landmark_segments (for Reference: N a multiple of m, m < N).
Tensor shifted_core(const Tensor& q,
                    const Tensor& k,
                    const Tensor& v,
                    const Tensor& mask,
                    const SpectralShiftParams& o,
                    Generator* gen,
                    Tensor* delta_out) {
    const int64_t B = q.size(0), H = q.size(1), d = q.size(3);
    const double s = std::pow(static_cast<double>(d), -0.25);
    const Tensor m4 = row_mask(mask);
    const Tensor qs = q * m4 * s, ks = k * m4 * s;
    const ops::LandmarkSegments seg = ops::landmark_segments(mask.detach(), o.landmarks, o.mode);
    const int64_t m = seg.landmarks();
    const Tensor ql = landmark_means(qs, seg), kl = landmark_means(ks, seg);    // [B, H, m, d]
    const Tensor F = softmax(matmul(qs, kl.mT()), seg.landmark_bias);           // [B, H, N, m]
    const Tensor A = softmax(matmul(ql, kl.mT()), seg.pair_bias);               // [B, H, m, m]
    const Tensor Bk = softmax(matmul(ql, ks.mT()), ops::key_bias(mask, -1e9));  // [B, H, m, N]
    Tensor delta;
    if (o.fixed_delta.defined()) {
        delta = o.fixed_delta.detach().to(q.dtype()).view({B, H, 1, 1});
    } else {
        std::optional<NoGradGuard> constant;
        if (o.detach) constant.emplace();
        const auto used = landmarks_used(mask, m, o.mode);
        delta = estimate_delta(qs, ks, F, A, Bk, mask, used, o, gen);
    }
    if (o.detach) delta = delta.detach();
    if (delta_out) *delta_out = delta.detach().view({B, H});
    // Empty landmark slots make A = [A_real 0; 0 I]: the shift keeps the blocks apart and F is
    // zero on those columns, so they never reach the output.
    const Tensor shifted = A - delta * eye(m, {q.dtype(), q.device()});
    const Tensor Z = newton_schulz_pinv(shifted, o.iterations, ops::PinvInit::AbsNorms);
    return matmul(F, matmul(Z, matmul(Bk, v))) + delta * v;
}

}  // namespace

Tensor spectral_shift_attention(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const SpectralShiftParams& o,
                                Generator* gen,
                                Tensor* delta) {
    LM_CHECK(q.dim() == 4, "spectral_shift: q must be [B, H, N, D], got ", q.shape().str());
    if (o.mode == ops::LandmarkMode::PerExample) return shifted_core(q, k, v, mask, o, gen, delta);
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), m = o.landmarks;
    const int64_t padded = std::max(m, (N + m - 1) / m * m);
    if (m == padded) {  // every position is a landmark: exact softmax, nothing left to shift
        if (delta) *delta = zeros({B, H}, {q.dtype(), q.device()});
        return nystrom_attention(q, k, v, mask,
                                 {m, static_cast<int>(o.iterations), ops::PinvInit::Global,
                                  ops::LandmarkMode::Reference});
    }
    if (padded == N) return shifted_core(q, k, v, mask, o, gen, delta);
    const std::vector<int64_t> pads = {0, 0, 0, padded - N};
    const Tensor mp = pad(mask.detach(), {0, padded - N});
    return shifted_core(pad(q, pads), pad(k, pads), pad(v, pads), mp, o, gen, delta)
        .narrow(2, 0, N);
}

SpectralShiftKernel::SpectralShiftKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : gen_(ctx.dropout) {
    opts_.landmarks = cfg.landmarks;
    opts_.iterations = cfg.pinv_iterations;
    opts_.samples = cfg.shift_samples;
    opts_.detach = cfg.shift_detach;
    opts_.mode = landmark_mode_from_name(cfg.landmark_mode);
    if (cfg.conv_kernel > 0) {
        conv_weight = init_fan_in_uniform({ctx.heads, cfg.conv_kernel}, cfg.conv_kernel, *ctx.init);
        register_parameter("conv.weight", &conv_weight);
    }
}

Tensor SpectralShiftKernel::forward(const Tensor& q,
                                    const Tensor& k,
                                    const Tensor& v,
                                    const Tensor& mask) {
    // Training draws fresh trace samples every call; evaluation restarts one fixed stream per
    // example, so a prediction depends on the example alone.
    const Tensor out =
        spectral_shift_attention(q, k, v, mask, opts_, is_training() ? gen_ : nullptr, &delta_);
    return add_conv_skip(out, v, mask, conv_weight);
}

}  // namespace lm::nn
