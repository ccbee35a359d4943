#include "layers/attention/skyformer_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "layers/attention/nystrom_kernel.h"

namespace lm::nn {

Tensor gaussian_kernel(const Tensor& a, const Tensor& b) {
    const int64_t last = a.dim() - 1;
    const Tensor ha = 0.5 * sum(square(a), {last}, true), hb = 0.5 * sum(square(b), {last}, true);
    return exp(matmul(a, b.mT()) - ha - hb.mT());
}

SkyformerKernel::SkyformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : landmarks_(cfg.skyformer_landmarks),
      iterations_(cfg.pinv_iterations),
      gamma_(cfg.gamma),
      pinv_scale_(pinv_init_from_name(cfg.pinv_init) == ops::PinvInit::Global
                      ? PinvScale::GlobalColumnSum
                      : PinvScale::MatrixColumnSum),
      gen_(ctx.dropout) {}

std::vector<std::vector<int64_t>> SkyformerKernel::sample_landmarks(const Tensor& mask, int64_t N) {
    const auto real = real_positions(mask);
    std::vector<std::vector<int64_t>> idx(real.size());
    for (size_t b = 0; b < real.size(); ++b) {
        if (landmarks_ >= 2 * N) {  // every row of [q'; k']
            for (int64_t i = 0; i < 2 * N; ++i)
                idx[b].push_back(i);
            continue;
        }
        const auto& pos = real[b];
        for (int64_t t = 0; t < landmarks_; ++t) {
            // an all-padding row has nothing to sample: position 0 (its output is unused)
            const int64_t i = pos.empty() ? 0 : pos[gen_->uniform_int(pos.size())];
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
    // gather the landmark rows of [q'; k'] (the same indices for every head)
    const auto rows = sample_landmarks(mask, N);
    const int64_t S = static_cast<int64_t>(rows[0].size());
    std::vector<int64_t> flat;
    flat.reserve(static_cast<size_t>(B * H * S * d));
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t h = 0; h < H; ++h) {
            for (int64_t t = 0; t < S; ++t)
                flat.insert(flat.end(), d, rows[b][t]);
        }
    }
    const Tensor index = from_vector(flat, {B, H, S, d}, {DType::Int64, q.device()});
    const Tensor xs = gather(concat({qs, ks}, 2), 2, index);                  // [B, H, S, d]
    const Tensor qf = gaussian_kernel(qs, xs), kf = gaussian_kernel(ks, xs);  // [B, H, N, S]
    const Tensor M = gaussian_kernel(xs, xs) + gamma_ * eye(S, {q.dtype(), q.device()});
    const Tensor rs = rsqrt(sum(M, {3}, true));  // diag(r)^-1/2 as [B, H, S, 1]
    const Tensor Z = newton_schulz_pinv(M * rs * rs.mT(), iterations_, pinv_scale_);
    const Tensor kmix = matmul(kf * rs.mT(), Z) * rs.mT() * m4;  // ~ Kf (M + gamma I)^-1
    return matmul(qf, matmul(kmix.mT(), v * m4));
}

}  // namespace lm::nn
