#include "layers/attention/schoenbat_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> SchoenbatKernel::options() {
    return {
        integer_option<AttentionConfig>("schoenbat_features", &SchoenbatOptions::schoenbat_features,
                                        2, 1 << 16, "Maclaurin features (1 constant + m-1 random)"),
        choice_option<AttentionConfig>("dotf", &SchoenbatOptions::dotf,
                                       {"exp", "inverse", "logi", "trigh", "sqrt"},
                                       "dot-product kernel f(q.k)"),
    };
}

DotKernel parse_dot_kernel(const std::string& name) {
    if (name == "exp") return DotKernel::Exp;
    if (name == "inverse") return DotKernel::Inverse;
    if (name == "logi") return DotKernel::Logi;
    if (name == "trigh") return DotKernel::Trigh;
    LM_CHECK(name == "sqrt", "schoenbat: unknown dotf '", name,
             "'; expected exp, inverse, logi, trigh or sqrt");
    return DotKernel::Sqrt;
}

std::vector<double> maclaurin_coefficients(DotKernel dotf, int64_t max_degree) {
    std::vector<double> a(static_cast<size_t>(max_degree + 1), 1.0);
    double binom = 1.0;  // binom(1/2, k)
    for (int64_t k = 1; k <= max_degree; ++k) {
        switch (dotf) {
            case DotKernel::Exp:
            case DotKernel::Trigh:
                a[k] = a[k - 1] / static_cast<double>(k);  // 1 / k!
                break;
            case DotKernel::Inverse:
                a[k] = 1.0;
                break;
            case DotKernel::Logi:
                a[k] = 1.0 / static_cast<double>(k);
                break;
            case DotKernel::Sqrt:
                // 2 - sqrt(1 - t) = 2 - sum_k binom(1/2, k) (-t)^k
                binom *= (0.5 - static_cast<double>(k - 1)) / static_cast<double>(k);
                a[k] = -binom * (k % 2 == 0 ? 1.0 : -1.0);
                break;
        }
    }
    return a;
}

Tensor dot_kernel(const Tensor& t, DotKernel dotf) {
    switch (dotf) {
        case DotKernel::Exp:
        case DotKernel::Trigh:
            return exp(t);
        case DotKernel::Inverse:
            return reciprocal(1.0 - t);
        case DotKernel::Logi:
            return 1.0 - log(1.0 - t);
        case DotKernel::Sqrt:
            break;
    }
    return 2.0 - sqrt(1.0 - t);
}

Tensor schoenbat_pre_sbn(const Tensor& x) {
    const int64_t last = x.dim() - 1;
    const Tensor c = x - mean(x, {last}, true);
    const Tensor z = c * rsqrt(mean(square(c), {last}, true) + 1e-12);  // biased variance
    return l2_normalize(z) * std::pow(static_cast<double>(x.size(last)), -0.25);
}

namespace {

// Degree k in 1..20 with P(k) = 2^-(k+1) / Z by inversion of one uniform draw.
int64_t draw_degree(Generator& gen, const std::vector<double>& p) {
    double u = gen.uniform();
    for (size_t k = 1; k < p.size(); ++k) {
        if (u < p[k]) return static_cast<int64_t>(k);
        u -= p[k];
    }
    return static_cast<int64_t>(p.size()) - 1;
}

}  // namespace

SchoenbatKernel::SchoenbatKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : dotf_(parse_dot_kernel(cfg.dotf)) {
    const int64_t d = ctx.head_dim, D = cfg.schoenbat_features - 1;
    LM_CHECK(D >= 1, "schoenbat: schoenbat_features must be at least 2");
    const std::vector<double> a = maclaurin_coefficients(dotf_, kMaxDegree);
    a0_ = a[0];
    std::vector<double> p(static_cast<size_t>(kMaxDegree + 1), 0.0);
    double total = 0;
    for (int64_t k = 1; k <= kMaxDegree; ++k)
        total += p[k] = std::ldexp(1.0, -(k + 1));
    for (double& x : p)
        x /= total;
    Generator& gen = *ctx.init;
    std::vector<int64_t> degree(static_cast<size_t>(D));
    for (auto& k : degree)
        k = draw_degree(gen, p);
    for (int64_t k : degree)
        slots_ = std::max(slots_, k);
    std::vector<double> rows(static_cast<size_t>(D * slots_ * (d + 1)), 0.0);
    for (int64_t t = 0; t < D; ++t) {
        const int64_t k = degree[t];
        const double coef = std::sqrt(a[k] / p[k]) / std::sqrt(static_cast<double>(D));
        for (int64_t j = 0; j < slots_; ++j) {
            double* row = rows.data() + (t * slots_ + j) * (d + 1);
            if (j >= k) {
                row[d] = 1.0;  // an unused slot multiplies by [x, 1] . e_d = 1
                continue;
            }
            for (int64_t i = 0; i < d; ++i) {
                row[i] = (gen.uniform() < 0.5 ? -1.0 : 1.0) * (j == 0 ? coef : 1.0);
            }
        }
    }
    projection = from_vector(rows, {D * slots_, d + 1}, {DType::Float32});
    post_scale = ones({d});
    register_buffer("projection", &projection);
    register_parameter("post_scale", &post_scale);
}

Tensor SchoenbatKernel::feature_map(const Tensor& x) const {
    const int64_t B = x.size(0), H = x.size(1), N = x.size(2);
    const TensorOptions opts{x.dtype(), x.device()};
    const Tensor aug = concat({x, ones({B, H, N, 1}, opts)}, 3);
    const Tensor w = projection.detach().to(x.dtype());
    const int64_t D = w.size(0) / slots_;
    const Tensor P = matmul(aug, w.mT()).view({B, H, N, D, slots_});
    Tensor f = P.select(4, 0);
    for (int64_t j = 1; j < slots_; ++j)
        f = f * P.select(4, j);
    return concat({full({B, H, N, 1}, std::sqrt(a0_), opts), f}, 3);
}

Tensor SchoenbatKernel::forward(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask) {
    FeatureAttentionOptions opts;
    opts.min_denominator = 1.0;
    const Tensor out = feature_attention(feature_map(schoenbat_pre_sbn(q)),
                                         feature_map(schoenbat_pre_sbn(k)), v, mask, opts);
    return out * post_scale;
}

}  // namespace lm::nn
