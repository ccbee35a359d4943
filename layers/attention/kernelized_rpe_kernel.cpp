#include "layers/attention/kernelized_rpe_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "core/autograd/toeplitz.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> KernelizedRpeKernel::options() {
    return {
        integer_option<AttentionConfig>("rpe_features", &KernelizedRpeOptions::rpe_features, 1,
                                        1 << 16, "positive random features m"),
    };
}

KernelizedRpeKernel::KernelizedRpeKernel(const AttentionConfig& cfg, const AttentionContext& ctx) {
    LM_CHECK(ctx.max_len > 0, "kernelized_rpe: the model's max_len must be positive");
    bias = zeros({ctx.heads, 2 * ctx.max_len - 1});
    omega = randn({cfg.rpe_features, ctx.head_dim}, {}, *ctx.init);
    register_parameter("bias", &bias);
    register_buffer("omega", &omega);
}

Tensor KernelizedRpeKernel::bias_for_length(int64_t N) const {
    const int64_t max_len = (bias.size(1) + 1) / 2;
    LM_CHECK(N <= max_len, "kernelized_rpe: sequence length ", N, " exceeds max_len ", max_len);
    return bias.narrow(1, max_len - N, 2 * N - 1);
}

Tensor KernelizedRpeKernel::feature_map(const Tensor& x) const {
    const Tensor w = omega.detach().to(x.dtype());
    const double norm = 1.0 / std::sqrt(static_cast<double>(w.size(0)));
    return exp(matmul(x, w.mT()) - 0.5 * sum(square(x), {3}, true)) * norm;
}

Tensor KernelizedRpeKernel::forward(const Tensor& q,
                                    const Tensor& k,
                                    const Tensor& v,
                                    const Tensor& mask) {
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), Dv = v.size(3);
    const Tensor phi_q = feature_map(l2_normalize(q));
    const Tensor phi_k = feature_map(l2_normalize(k)) * row_mask(mask);  // [B, H, N, m]
    const int64_t m = phi_q.size(3);
    // one FFT pass over [phi(k_j) v_j^T flattened, phi(k_j)]: [B, H, N, m Dv + m]
    const Tensor outer = (phi_k.unsqueeze(4) * v.unsqueeze(3)).reshape({B, H, N, m * Dv});
    // stabilised by the largest bias of every offset, not only of those N reaches: the same
    // constant for every padded length, so it cancels exactly in num / den
    const Tensor b = bias_for_length(N).to(q.dtype());
    const Tensor top = max(bias.detach().to(q.dtype()), 1, true).first;
    const Tensor c = exp(b - top);  // [H, 2N - 1]
    const Tensor D = toeplitz_matmul(c, concat({outer, phi_k}, 3));
    const Tensor D1 = D.narrow(3, 0, m * Dv).reshape({B, H, N, m, Dv});
    const Tensor D2 = D.narrow(3, m * Dv, m);
    const Tensor num = matmul(phi_q.unsqueeze(3), D1).squeeze(3);  // [B, H, N, Dv]
    // positive features and coefficients: den > 0 unless every key is padded (then num = 0)
    const Tensor den = sum(phi_q * D2, {3}, true) + 1e-30;
    return num / den;
}

}  // namespace lm::nn
