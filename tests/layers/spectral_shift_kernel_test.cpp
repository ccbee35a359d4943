// "spectral_shift": exact at m = n; the linear-time trace estimate is exact with all keys and
// close with a sample; δ in [0, 1), ~0 for diffuse attention; shifting beats plain Nystrom on
// diagonal-dominant attention; gradients (δ constant and differentiable); padding; seed.
#include <cmath>

#include "core/autograd/attention.h"
#include "layers/attention/exact_reference.h"
#include "layers/attention/spectral_shift_kernel.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig ss_config(int64_t m, int64_t samples = 64, bool detach = true) {
    AttentionConfig cfg;
    cfg.type = "spectral_shift";
    cfg.landmarks = m;
    cfg.shift_samples = samples;
    cfg.shift_detach = detach;
    cfg.conv_kernel = 0;
    return cfg;
}

Tensor scaled(const Tensor& x, const Tensor& mask) {
    return x * mask.view({mask.size(0), 1, mask.size(1), 1}) * std::pow(x.size(3), -0.25);
}

// Exact sum over real rows of softmax(q k^T / sqrt d) diagonals: [B, H].
Tensor exact_trace(const Tensor& q, const Tensor& k, const Tensor& mask) {
    const Tensor S = softmax_scores(q, k, mask);
    const int64_t N = q.size(2);
    const Tensor diag = (S * eye(N, {DType::Float64})).sum({3});  // [B, H, N]
    return (diag * mask.view({mask.size(0), 1, N})).sum({2});
}

TEST(SpectralShiftKernel, LandmarksCoveringTheSequenceAreExactSoftmax) {
    // reference landmarks: m >= the padded length runs the exact branch
    AttentionConfig reference = ss_config(8);
    reference.landmark_mode = "reference";
    auto t = zoo::make_kernel(reference, 2, 4, 8);
    const Tensor mask = zoo::padding_mask(2, 8, {8, 5});
    const Tensor q = testing::random_tensor({2, 2, 8, 4}, 1),
                 k = testing::random_tensor({2, 2, 8, 4}, 2);
    const Tensor v = testing::random_tensor({2, 2, 8, 4}, 3);
    const Tensor keep = mask.view({2, 1, 8, 1});
    const Tensor exact = exact_softmax(q, k, v, mask) * keep;
    EXPECT_LT(testing::max_abs_diff(t(q, k, v, mask) * keep, exact), 1e-12);
    // per-example landmarks: one per token, so exact once the pseudo-inverse has converged
    AttentionConfig per_example = ss_config(8);
    per_example.pinv_iterations = 60;
    auto p = zoo::make_kernel(per_example, 2, 4, 8);
    EXPECT_LT(testing::max_abs_diff(p(q, k, v, mask) * keep, exact), 1e-9);
}

TEST(SpectralShiftKernel, TraceEstimateIsExactWithAllKeysAndCloseWithASample) {
    const int64_t N = 96;
    const Tensor mask = zoo::padding_mask(2, N, {N, 70});
    const Tensor base = testing::random_tensor({2, 2, N, 8}, 4, DType::Float64, -2, 2);
    const Tensor q = base, k = base + 0.2 * testing::random_tensor({2, 2, N, 8}, 5);
    const Tensor exact = exact_trace(q, k, mask);
    Generator gen(6);
    const Tensor all = softmax_trace_estimate(scaled(q, mask), scaled(k, mask), mask, N, &gen);
    EXPECT_LT(testing::max_abs_diff(all, exact), 1e-11);
    const Tensor sampled = softmax_trace_estimate(scaled(q, mask), scaled(k, mask), mask, 32, &gen);
    EXPECT_LT(testing::relative_error(sampled, exact), 0.15);
    EXPECT_GT(testing::max_abs_diff(sampled, exact), 1e-6);  // it did sample
}

TEST(SpectralShiftKernel, ShiftHelpsDiagonalDominantAttentionAndVanishesForDiffuse) {
    const int64_t N = 128, d = 16, m = 16;
    const Tensor mask = zoo::padding_mask(1, N, {N});
    const Tensor v = testing::random_tensor({1, 2, N, d}, 7);
    // sharp self-attention: q = k with large norms
    const Tensor x = testing::random_tensor({1, 2, N, d}, 8, DType::Float64, -2.5, 2.5);
    auto t = zoo::make_kernel(ss_config(m), 2, d, N);
    const Tensor exact = exact_softmax(x, x, v, mask);
    const double ss = testing::relative_error(t(x, x, v, mask), exact);
    const double ny = testing::relative_error(nystrom_attention(x, x, v, mask, {m, 6}), exact);
    const auto delta =
        dynamic_cast<SpectralShiftKernel&>(*t.kernel).last_delta().to_vector<double>();
    for (double dl : delta) {
        EXPECT_GT(dl, 0.05);
        EXPECT_LT(dl, 1.0);
    }
    EXPECT_LT(ss, 0.8 * ny) << "spectral shift " << ss << " vs nystrom " << ny;
    // diffuse attention (independent small q, k): tr S ~ 1 << n, so δ ~ 0
    const Tensor q = testing::random_tensor({1, 2, N, d}, 9, DType::Float64, -0.5, 0.5);
    const Tensor k = testing::random_tensor({1, 2, N, d}, 10, DType::Float64, -0.5, 0.5);
    t(q, k, v, mask);
    for (double dl :
         dynamic_cast<SpectralShiftKernel&>(*t.kernel).last_delta().to_vector<double>()) {
        EXPECT_LT(dl, 1e-2);
    }
}

// Near-identical sharp q and k: δ > 0 (inside the clamp), so the shift path carries gradient.
std::vector<Tensor> sharp_inputs(const std::vector<Tensor>& in) {
    return {3.0 * in[0], 3.0 * in[0] + 0.3 * in[1], in[2]};
}

TEST(SpectralShiftKernel, GradcheckWithDifferentiableShift) {
    const Tensor mask = zoo::padding_mask(2, 8, {8, 6});
    auto t = zoo::make_kernel(ss_config(2, 3, false), 2, 4, 8);
    auto f = [&](const std::vector<Tensor>& in) {
        const auto x = sharp_inputs(in);
        return t(x[0], x[1], x[2], mask);
    };
    const std::vector<Tensor> inputs = {testing::leaf({2, 2, 8, 4}, 14),
                                        testing::leaf({2, 2, 8, 4}, 15),
                                        testing::leaf({2, 2, 8, 4}, 16)};
    f(inputs);
    const Tensor delta = dynamic_cast<SpectralShiftKernel&>(*t.kernel).last_delta();
    for (double dl : delta.to_vector<double>())
        EXPECT_GT(dl, 1e-3);
    testing::gradcheck(f, inputs, {}, "differentiable delta");
}

TEST(SpectralShiftKernel, ConstantShiftGradientIsTheFixedDeltaGradient) {
    const Tensor mask = zoo::padding_mask(2, 8, {8, 6});
    SpectralShiftParams o;
    o.landmarks = 2;
    o.samples = 3;
    Generator gen(17);
    const std::vector<Tensor> a = {testing::leaf({2, 2, 8, 4}, 14), testing::leaf({2, 2, 8, 4}, 15),
                                   testing::leaf({2, 2, 8, 4}, 16)};
    auto x = sharp_inputs(a);
    Tensor delta;
    sum(spectral_shift_attention(x[0], x[1], x[2], mask, o, &gen, &delta) * x[2]).backward();
    for (double dl : delta.to_vector<double>())
        EXPECT_GT(dl, 1e-3);
    // the same δ held fixed: a plain function of the inputs, checked by finite differences
    o.fixed_delta = delta;
    const std::vector<Tensor> b = {testing::make_leaf(a[0]), testing::make_leaf(a[1]),
                                   testing::make_leaf(a[2])};
    x = sharp_inputs(b);
    sum(spectral_shift_attention(x[0], x[1], x[2], mask, o, &gen) * x[2]).backward();
    for (int i = 0; i < 3; ++i)
        EXPECT_LT(testing::max_abs_diff(a[i].grad(), b[i].grad()), 1e-12);
    auto f = [&](const std::vector<Tensor>& in) {
        const auto y = sharp_inputs(in);
        return spectral_shift_attention(y[0], y[1], y[2], mask, o, &gen);
    };
    testing::gradcheck(f, b, {}, "fixed delta");
}

TEST(SpectralShiftKernel, PaddingConvSkipAndSeed) {
    AttentionConfig cfg = ss_config(4, 5);
    cfg.conv_kernel = 3;
    auto t = zoo::make_kernel(cfg, 2, 4, 16);
    const Tensor mask = zoo::padding_mask(2, 10, {10, 7});  // padded to 12 inside
    const Tensor q = testing::random_tensor({2, 2, 10, 4}, 11),
                 k = testing::random_tensor({2, 2, 10, 4}, 12);
    const Tensor v = testing::random_tensor({2, 2, 10, 4}, 13);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-13);
    EXPECT_EQ(t.kernel->named_parameters().size(), 1u);  // conv.weight
    auto same = zoo::make_kernel(cfg, 2, 4, 16);
    EXPECT_TRUE(testing::bitwise_equal(t(q, k, v, mask), same(q, k, v, mask)));
}

}  // namespace
}  // namespace lm::nn
