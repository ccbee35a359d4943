// Gradient clipping: torch.nn.utils.clip_grad_norm_ semantics (scale max_norm / (norm + 1e-6)
// when below 1), thread-count independence, non-finite norms, clip by value.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/base/parallel.h"
#include "tests/support/tensor_testing.h"
#include "train/optim/clip.h"

namespace lm::train {
namespace {

Tensor param_with_grad(const std::vector<double>& g) {
    const Shape shape{static_cast<int64_t>(g.size())};
    Tensor p = zeros(shape, {DType::Float64});
    p.requires_grad_(true);
    p.set_grad(from_vector(g, shape, {DType::Float64}));
    return p;
}

TEST(Clip, NormAndScale) {
    // ||(3, 4, 12)|| = 13
    const std::vector<Tensor> ps = {param_with_grad({3, 4}), param_with_grad({12})};
    EXPECT_DOUBLE_EQ(grad_norm(ps), 13.0);
    EXPECT_DOUBLE_EQ(clip_grad_norm(ps, 6.5), 13.0);
    const double coef = 6.5 / (13.0 + 1e-6);
    testing::expect_values(ps[0].grad(), {3 * coef, 4 * coef}, 1e-15);
    testing::expect_values(ps[1].grad(), {12 * coef}, 1e-15);
    EXPECT_NEAR(grad_norm(ps), 6.5, 1e-6);
}

TEST(Clip, BelowTheLimitIsUntouched) {
    const std::vector<Tensor> ps = {param_with_grad({3, 4})};
    EXPECT_DOUBLE_EQ(clip_grad_norm(ps, 5.0 + 2e-6), 5.0);
    testing::expect_values(ps[0].grad(), {3, 4}, 0);
    EXPECT_DOUBLE_EQ(clip_grad_norm(ps, std::numeric_limits<double>::infinity()), 5.0);
    EXPECT_THROW(clip_grad_norm(ps, 0.0), Error);
}

TEST(Clip, NonFiniteNormIsReportedNotApplied) {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<Tensor> ps = {param_with_grad({3, 4}), param_with_grad({inf})};
    EXPECT_TRUE(std::isinf(clip_grad_norm(ps, 1.0)));
    testing::expect_values(ps[0].grad(), {3, 4}, 0);
    ps[1] = param_with_grad({std::nan("")});
    EXPECT_TRUE(std::isnan(clip_grad_norm(ps, 1.0)));
    testing::expect_values(ps[0].grad(), {3, 4}, 0);
}

TEST(Clip, UndefinedGradsAreSkipped) {
    Tensor none = zeros({2});
    none.requires_grad_(true);
    const std::vector<Tensor> ps = {none, param_with_grad({6, 8})};
    EXPECT_DOUBLE_EQ(clip_grad_norm(ps, 5.0), 10.0);
    EXPECT_FALSE(none.grad().defined());
}

TEST(Clip, NormDoesNotDependOnThreadCount) {
    const Tensor a = testing::random_tensor({300001}, 7, DType::Float32);
    Tensor p = zeros({300001});
    p.requires_grad_(true);
    p.set_grad(a);
    const int before = num_threads();
    set_num_threads(1);
    const double one = grad_norm({p});
    set_num_threads(4);
    const double four = grad_norm({p});
    set_num_threads(before);
    EXPECT_EQ(one, four);
    double ref = 0;
    for (float v : a.to_vector<float>())
        ref += double(v) * double(v);
    EXPECT_NEAR(one, std::sqrt(ref), 1e-9 * std::sqrt(ref));
}

TEST(Clip, StridedGradIsReplaced) {
    Tensor p = zeros({2, 2}, {DType::Float64});
    p.requires_grad_(true);
    p.set_grad(testing::noncontiguous(
        from_vector(std::vector<double>{3, 0, 4, 0}, {2, 2}, {DType::Float64})));
    EXPECT_DOUBLE_EQ(clip_grad_norm({p}, 1.0), 5.0);
    const double coef = 1.0 / (5.0 + 1e-6);
    testing::expect_values(p.grad(), {3 * coef, 0, 4 * coef, 0}, 1e-15);
}

TEST(Clip, ByValue) {
    const std::vector<Tensor> ps = {param_with_grad({-3, 0.5, 2, std::nan("")})};
    clip_grad_value(ps, 1.0);
    const auto g = ps[0].grad().to_vector<double>();
    EXPECT_EQ(g[0], -1.0);
    EXPECT_EQ(g[1], 0.5);
    EXPECT_EQ(g[2], 1.0);
    EXPECT_TRUE(std::isnan(g[3]));
    EXPECT_THROW(clip_grad_value(ps, -1.0), Error);
}

}  // namespace
}  // namespace lm::train
