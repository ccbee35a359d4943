#include "layers/attention/exact_reference.h"

#include <cmath>
#include <limits>

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/kernelized_rpe_kernel.h"
#include "layers/attention/performer_kernel.h"
#include "layers/attention/schoenbat_kernel.h"
#include "layers/attention/skyformer_kernel.h"

namespace lm::nn {

namespace {

// 1 on real keys as [B, 1, 1, N].
Tensor key_keep(const Tensor& mask) {
    return mask.detach().view({mask.size(0), 1, 1, mask.size(1)});
}

// bias[h, j - i + N - 1] as [1, H, N, N].
Tensor relative_bias_matrix(const Tensor& bias, int64_t N) {
    const int64_t H = bias.size(0);
    std::vector<int64_t> idx(static_cast<size_t>(H * N * N));
    for (int64_t h = 0; h < H; ++h) {
        for (int64_t i = 0; i < N; ++i) {
            for (int64_t j = 0; j < N; ++j)
                idx[(h * N + i) * N + j] = j - i + N - 1;
        }
    }
    const Tensor index = from_vector(idx, {H, N * N}, {DType::Int64, bias.device()});
    return gather(bias, 1, index).view({1, H, N, N});
}

}  // namespace

Tensor softmax_scores(const Tensor& q, const Tensor& k, const Tensor& mask, double scale) {
    if (scale <= 0) scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    return softmax(matmul(q, k.mT()) * scale, ops::key_bias(mask, -1e6).to(q.dtype()));
}

Tensor exact_softmax(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, double scale) {
    return matmul(softmax_scores(q, k, mask, scale), v);
}

Tensor exact_gaussian(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
    const double s = std::pow(static_cast<double>(q.size(3)), -0.25);
    const Tensor C = gaussian_kernel(q * s, k * s) * key_keep(mask).to(q.dtype());
    return matmul(C, v);
}

Tensor exact_rpe(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, const Tensor& bias) {
    const int64_t N = q.size(2);
    const Tensor logits =
        matmul(l2_normalize(q), l2_normalize(k).mT()) + relative_bias_matrix(bias.to(q.dtype()), N);
    return matmul(softmax(logits, ops::key_bias(mask, -1e30).to(q.dtype())), v);
}

Tensor exact_dot_kernel(const Tensor& q,
                        const Tensor& k,
                        const Tensor& v,
                        const Tensor& mask,
                        DotKernel dotf,
                        const Tensor& gamma) {
    const Tensor t = matmul(schoenbat_pre_sbn(q), schoenbat_pre_sbn(k).mT());
    const Tensor W = dot_kernel(t, dotf) * key_keep(mask).to(q.dtype());
    const Tensor den = clamp(sum(W, {3}, true), 1.0, std::numeric_limits<double>::infinity());
    return matmul(W, v) / den * gamma.to(q.dtype());
}

Tensor exact_feature_attention(const Tensor& phi_q,
                               const Tensor& phi_k,
                               const Tensor& v,
                               const Tensor& mask,
                               double eps,
                               double min_denominator) {
    const Tensor W = matmul(phi_q, phi_k.mT()) * key_keep(mask).to(phi_q.dtype());
    Tensor den = sum(W, {3}, true);
    den = min_denominator > 0 ? clamp(den, min_denominator, std::numeric_limits<double>::infinity())
                              : den + eps;
    return matmul(W, v) / den;
}

Tensor own_exact_reference(const AttentionKernel& kernel,
                           const Tensor& q,
                           const Tensor& k,
                           const Tensor& v,
                           const Tensor& mask) {
    if (kernel.type() == "skyformer") return exact_gaussian(q, k, v, mask);
    if (const auto* rpe = dynamic_cast<const KernelizedRpeKernel*>(&kernel)) {
        return exact_rpe(q, k, v, mask, rpe->bias_for_length(q.size(2)));
    }
    if (const auto* sb = dynamic_cast<const SchoenbatKernel*>(&kernel)) {
        return exact_dot_kernel(q, k, v, mask, sb->dotf(), sb->post_scale);
    }
    if (const auto* pf = dynamic_cast<const PerformerKernel*>(&kernel)) {
        const double standard = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
        if (pf->logit_scale() != standard) return exact_softmax(q, k, v, mask, pf->logit_scale());
    }
    return Tensor();
}

}  // namespace lm::nn
