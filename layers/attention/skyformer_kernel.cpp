#include "layers/attention/skyformer_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> SkyformerKernel::options() {
    auto out = options_named(NystromKernel::options(), {"pinv_iterations", "pinv_init"});
    out.push_back(integer_option<AttentionConfig>(
        "skyformer_landmarks", &SkyformerOptions::skyformer_landmarks, 1, 1 << 20,
        "sampled landmarks (half q rows, half k rows)"));
    out.push_back(number_option<AttentionConfig>("gamma", &SkyformerOptions::gamma, 0, 1e6, false,
                                                 "ridge gamma I added to the landmark kernel"));
    return out;
}

Tensor gaussian_kernel(const Tensor& a, const Tensor& b) {
    const int64_t last = a.dim() - 1;
    const Tensor ha = 0.5 * sum(square(a), {last}, true), hb = 0.5 * sum(square(b), {last}, true);
    return exp(matmul(a, b.mT()) - ha - hb.mT());
}

SkyformerKernel::SkyformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : landmarks_(cfg.skyformer_landmarks),
      iterations_(cfg.pinv_iterations),
      gamma_(cfg.gamma),
      pinv_init_(pinv_init_from_name(cfg.pinv_init)),
      gen_(ctx.dropout) {}

namespace {

// Seed of the landmark stream each example restarts in eval.
constexpr uint64_t kFixedLandmarkSeed = 0x5c1f0a3d7ULL;

// Slot validity [B, 1, 1, S] (1 = used) of landmark rows; undefined when every slot is used.
Tensor slot_mask(const std::vector<std::vector<int64_t>>& rows, int64_t S, TensorOptions opts) {
    const int64_t B = static_cast<int64_t>(rows.size());
    bool full = true;
    std::vector<double> valid(B * S, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t used = static_cast<int64_t>(rows[b].size());
        full = full && used == S;
        std::fill_n(valid.begin() + b * S, used, 1.0);
    }
    return full ? Tensor() : from_vector(valid, {B, 1, 1, S}, opts);
}

}  // namespace

std::vector<std::vector<int64_t>> SkyformerKernel::landmark_rows(const Tensor& mask,
                                                                 Generator* gen) const {
    const int64_t N = mask.size(1);
    const auto real = real_positions(mask);
    std::vector<std::vector<int64_t>> idx(real.size());
    for (size_t b = 0; b < real.size(); ++b) {
        const auto& pos = real[b];
        const int64_t L = static_cast<int64_t>(pos.size());
        if (landmarks_ >= 2 * L) {  // every real row of [q'; k']
            for (int64_t i : pos)
                idx[b].push_back(i);
            for (int64_t i : pos)
                idx[b].push_back(N + i);
            continue;
        }
        Generator fixed(kFixedLandmarkSeed);
        Generator& g = gen ? *gen : fixed;
        for (int64_t t = 0; t < landmarks_; ++t) {
            const int64_t i = pos[g.uniform_int(pos.size())];
            idx[b].push_back(t < landmarks_ / 2 ? i : N + i);  // first half q rows, then k rows
        }
    }
    return idx;
}

Tensor SkyformerKernel::forward(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask) {
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), d = q.size(3);
    const double s = std::pow(static_cast<double>(d), -0.25);
    const Tensor m4 = row_mask(mask);
    const Tensor qs = q * m4 * s, ks = k * m4 * s;
    // gather the landmark rows of [q'; k'] (the same indices for every head); training samples
    // from the dropout generator, evaluation restarts a fixed stream for every example
    const auto rows = landmark_rows(mask, is_training() ? gen_ : nullptr);
    const int64_t S = std::min(landmarks_, 2 * N);
    std::vector<int64_t> flat;
    flat.reserve(static_cast<size_t>(B * H * S * d));
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t h = 0; h < H; ++h) {
            for (int64_t t = 0; t < S; ++t) {
                const int64_t row = t < static_cast<int64_t>(rows[b].size()) ? rows[b][t] : 0;
                flat.insert(flat.end(), d, row);
            }
        }
    }
    const Tensor index = from_vector(flat, {B, H, S, d}, {DType::Int64, q.device()});
    const Tensor xs = gather(concat({qs, ks}, 2), 2, index);            // [B, H, S, d]
    Tensor qf = gaussian_kernel(qs, xs), kf = gaussian_kernel(ks, xs);  // [B, H, N, S]
    Tensor M = gaussian_kernel(xs, xs);
    const Tensor eye_s = eye(S, {q.dtype(), q.device()});
    if (const Tensor used = slot_mask(rows, S, {q.dtype(), q.device()}); used.defined()) {
        // empty slots: zero columns of Qf, Kf and M = [M_real 0; 0 I], so they never mix in
        qf = qf * used;
        kf = kf * used;
        M = M * used * used.mT() + eye_s * (1.0 - used);
    }
    M = M + gamma_ * eye_s;
    const Tensor rs = rsqrt(sum(M, {3}, true));  // diag(r)^-1/2 as [B, H, S, 1]
    const Tensor Z = newton_schulz_pinv(M * rs * rs.mT(), iterations_, pinv_init_);
    const Tensor kmix = matmul(kf * rs.mT(), Z) * rs.mT() * m4;  // ~ Kf (M + gamma I)^-1
    return matmul(qf, matmul(kmix.mT(), v * m4));
}

}  // namespace lm::nn
