// "none": the output is v itself, for every mask; q and k get zero (defined) gradients.
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

TEST(NoneKernel, ReturnsValuesAndPassesTheirGradient) {
    AttentionConfig cfg;
    cfg.type = "none";
    auto t = zoo::make_kernel(cfg, 2, 3, 8);
    const Tensor mask = zoo::padding_mask(1, 5, {3});
    const Tensor q = testing::random_tensor({1, 2, 5, 3}, 1),
                 k = testing::random_tensor({1, 2, 5, 3}, 2);
    const Tensor v = testing::random_tensor({1, 2, 5, 3}, 3);
    EXPECT_TRUE(testing::bitwise_equal(t(q, k, v, mask), v));
    Tensor ql = testing::make_leaf(q), vl = testing::make_leaf(v);
    sum(t(ql, k, vl, mask) * 2.0).backward();
    EXPECT_EQ(testing::max_abs_diff(ql.grad(), zeros_like(q)), 0.0);  // defined, zero
    EXPECT_EQ(testing::max_abs_diff(vl.grad(), full(v.shape(), 2.0, {DType::Float64})), 0.0);
    zoo::gradcheck_kernel(t, mask, {1, 2, 5, 3});
    EXPECT_EQ(zoo::padding_change(t, q, k, v, mask), 0.0);
    EXPECT_FALSE(t.kernel->quadratic());
}

}  // namespace
}  // namespace lm::nn
