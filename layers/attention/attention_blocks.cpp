#include "layers/attention/attention_blocks.h"

#include <limits>

#include "core/autograd/functional.h"

namespace lm::nn {

Tensor row_mask(const Tensor& mask) {
    return mask.detach().view({mask.size(0), 1, mask.size(1), 1});
}

Tensor l2_normalize(const Tensor& x, double eps) {
    return x * rsqrt(sum(square(x), {x.dim() - 1}, true) + eps);
}

std::vector<std::vector<int64_t>> real_positions(const Tensor& mask) {
    LM_CHECK(mask.dim() == 2, "attention mask must be [B, N], got ", mask.shape().str());
    const int64_t B = mask.size(0), N = mask.size(1);
    const std::vector<double> m = mask.to_vector<double>();
    std::vector<std::vector<int64_t>> out(B);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < N; ++i) {
            if (m[b * N + i] != 0) out[b].push_back(i);
        }
    }
    return out;
}

Tensor feature_attention(const Tensor& phi_q,
                         const Tensor& phi_k,
                         const Tensor& v,
                         const Tensor& mask,
                         const FeatureAttentionOptions& opts) {
    const Tensor pk = phi_k * row_mask(mask);
    const Tensor kv = matmul(pk.mT(), v);    // [B, H, m, D]  sum_j phi_k,j v_j^T
    const Tensor z = sum(pk, {2}, true);     // [B, H, 1, m]  sum_j phi_k,j
    const Tensor num = matmul(phi_q, kv);    // [B, H, N, D]
    Tensor den = sum(phi_q * z, {3}, true);  // [B, H, N, 1]
    if (opts.min_denominator > 0) {
        den = clamp(den, opts.min_denominator, std::numeric_limits<double>::infinity());
    } else {
        den = den + opts.eps;
    }
    return num / den;
}

namespace {

// c with the batch dims of A and two trailing 1s, so A^T / c broadcasts.
Tensor pinv_scale(const Tensor& A, ops::PinvInit init) {
    const int64_t rows = A.dim() - 2, cols = A.dim() - 1;
    switch (init) {
        case ops::PinvInit::Global:
            return max(sum(A, {rows}));  // 0-d
        case ops::PinvInit::PerMatrix:
            return max(sum(A, {rows}), rows, true).first.unsqueeze(cols);
        case ops::PinvInit::AbsNorms: {
            const Tensor a = abs(A);
            const Tensor norm1 = max(sum(a, {rows}), rows, true).first;     // max column sum
            const Tensor norm_inf = max(sum(a, {cols}), rows, true).first;  // max row sum
            return (norm1 * norm_inf).unsqueeze(cols);
        }
    }
    LM_CHECK(false, "newton_schulz_pinv: unknown scale");
}

}  // namespace

Tensor newton_schulz_pinv(const Tensor& A, int64_t iterations, ops::PinvInit init) {
    LM_CHECK(A.dim() >= 2 && A.size(-1) == A.size(-2),
             "newton_schulz_pinv: A must be [..., m, m], got ", A.shape().str());
    const int64_t m = A.size(-1);
    const Tensor I = eye(m, {A.dtype(), A.device()});
    Tensor Z = A.mT() / pinv_scale(A, init);
    for (int64_t it = 0; it < iterations; ++it) {
        const Tensor T = matmul(A, Z);
        const Tensor U = 13.0 * I - matmul(T, 15.0 * I - matmul(T, 7.0 * I - T));
        Z = 0.25 * matmul(Z, U);
    }
    return Z;
}

}  // namespace lm::nn
