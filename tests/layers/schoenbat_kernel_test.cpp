// "schoenbat": Maclaurin coefficients, pre-SBN, the random Maclaurin estimate converging to the
// exact dot-kernel attention as features grow, gradients, padding, seed.
#include <cmath>

#include "layers/attention/exact_reference.h"
#include "layers/attention/schoenbat_kernel.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig sb_config(int64_t m, const std::string& dotf = "exp") {
    AttentionConfig cfg;
    cfg.type = "schoenbat";
    cfg.schoenbat_features = m;
    cfg.dotf = dotf;
    return cfg;
}

SchoenbatKernel& sb(zoo::TestKernel& t) {
    return dynamic_cast<SchoenbatKernel&>(*t.kernel);
}

TEST(SchoenbatKernel, MaclaurinCoefficientsMatchTheSeries) {
    const auto e = maclaurin_coefficients(parse_dot_kernel("exp"), 20);
    EXPECT_DOUBLE_EQ(e[3], 1.0 / 6);
    EXPECT_NEAR(e[20], 1.0 / 2432902008176640000.0, 1e-30);
    EXPECT_EQ(maclaurin_coefficients(parse_dot_kernel("trigh"), 4),
              maclaurin_coefficients(parse_dot_kernel("exp"), 4));
    EXPECT_EQ(maclaurin_coefficients(parse_dot_kernel("inverse"), 3),
              (std::vector<double>{1, 1, 1, 1}));
    EXPECT_EQ(maclaurin_coefficients(parse_dot_kernel("logi"), 3),
              (std::vector<double>{1, 1, 0.5, 1.0 / 3}));
    const auto s = maclaurin_coefficients(parse_dot_kernel("sqrt"), 4);  // 2 - sqrt(1 - t)
    EXPECT_EQ(s, (std::vector<double>{1, 0.5, 0.125, 0.0625, 5.0 / 128}));
    // the truncated series reproduces f at |t| <= d^-1/2
    for (const std::string f : {"exp", "inverse", "logi", "sqrt"}) {
        const auto a = maclaurin_coefficients(parse_dot_kernel(f), 20);
        const double t = 0.35;
        double series = 0;
        for (int k = 20; k >= 0; --k)
            series = series * t + a[k];
        const double exact = dot_kernel(tensor({t}, {DType::Float64}), parse_dot_kernel(f)).item();
        EXPECT_NEAR(series, exact, 1e-8) << f;
    }
}

TEST(SchoenbatKernel, PreSbnGivesCentredVectorsOfNormDToTheMinusQuarter) {
    const Tensor x = testing::random_tensor({1, 1, 3, 16}, 1, DType::Float64, -3, 5);
    const Tensor y = schoenbat_pre_sbn(x);
    for (int64_t i = 0; i < 3; ++i) {
        const Tensor row = y.select(2, i);
        EXPECT_NEAR(row.sum().item(), 0.0, 1e-12);
        EXPECT_NEAR(std::sqrt(sum(square(row)).item()), 0.5, 1e-12);  // 16^-1/4
    }
}

TEST(SchoenbatKernel, ConvergesToTheExactDotKernelAttention) {
    const int64_t N = 16, d = 8;
    const Tensor mask = zoo::padding_mask(1, N, {13});
    const Tensor keep = mask.view({1, 1, N, 1});
    const Tensor q = testing::random_tensor({1, 2, N, d}, 2),
                 k = testing::random_tensor({1, 2, N, d}, 3);
    const Tensor v = testing::random_tensor({1, 2, N, d}, 4);
    for (const std::string f : {"exp", "inverse", "sqrt"}) {
        double err[2];
        for (int i = 0; i < 2; ++i) {
            auto t = zoo::make_kernel(sb_config(i == 0 ? 8 : 8192, f), 2, d, N);
            const Tensor exact = own_exact_reference(*t.kernel, q, k, v, mask) * keep;
            err[i] = testing::relative_error(t(q, k, v, mask) * keep, exact);
        }
        EXPECT_LT(err[1], 0.02) << f;
        EXPECT_LT(err[1], err[0] / 3) << f;
    }
}

TEST(SchoenbatKernel, GradcheckPaddingAndSeed) {
    auto t = zoo::make_kernel(sb_config(6, "logi"), 2, 4, 8);
    const Tensor mask = zoo::padding_mask(2, 5, {5, 3});
    zoo::gradcheck_kernel(t, mask, {2, 2, 5, 4});
    const Tensor q = testing::random_tensor({2, 2, 5, 4}, 7),
                 k = testing::random_tensor({2, 2, 5, 4}, 8);
    const Tensor v = testing::random_tensor({2, 2, 5, 4}, 9);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-14);
    auto same = zoo::make_kernel(sb_config(6, "logi"), 2, 4, 8);
    auto other = zoo::make_kernel(sb_config(6, "logi"), 2, 4, 8, 2);
    EXPECT_TRUE(testing::bitwise_equal(sb(t).projection, sb(same).projection));
    EXPECT_FALSE(testing::bitwise_equal(sb(t).projection, sb(other).projection));
    EXPECT_EQ(sb(t).projection.size(1), 5);  // d + 1
}

TEST(SchoenbatKernel, PostScaleMultipliesEachChannel) {
    auto t = zoo::make_kernel(sb_config(4), 1, 3, 8);
    const Tensor mask = zoo::padding_mask(1, 4, {4});
    const Tensor x = testing::random_tensor({1, 1, 4, 3}, 10);
    const Tensor base = t(x, x, x, mask);
    NoGradGuard no_grad;
    sb(t).post_scale.copy_(tensor({1, 2, -1}, {DType::Float64}));
    const Tensor scaled = t(x, x, x, mask);
    EXPECT_LT(testing::max_abs_diff(scaled, base * tensor({1, 2, -1}, {DType::Float64})), 1e-15);
}

}  // namespace
}  // namespace lm::nn
