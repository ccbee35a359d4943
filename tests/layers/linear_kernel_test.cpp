// "linear" (elu + 1 features): equals its quadratic definition; gradients; padding.
#include "layers/attention/linear_kernel.h"
#include "layers/attention/exact_reference.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig linear_config() {
    AttentionConfig cfg;
    cfg.type = "linear";
    return cfg;
}

TEST(LinearKernel, MatchesTheQuadraticKernelAttention) {
    auto t = zoo::make_kernel(linear_config(), 2, 4, 16);
    const Tensor mask = zoo::padding_mask(2, 11, {11, 6});
    const Tensor q = testing::random_tensor({2, 2, 11, 4}, 1, DType::Float64, -2, 2);
    const Tensor k = testing::random_tensor({2, 2, 11, 4}, 2, DType::Float64, -2, 2);
    const Tensor v = testing::random_tensor({2, 2, 11, 4}, 3);
    const Tensor ref = exact_feature_attention(
        LinearKernel::feature_map(q), LinearKernel::feature_map(k), v, mask, LinearKernel::kEps);
    EXPECT_LT(testing::max_abs_diff(t(q, k, v, mask), ref), 1e-13);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-13);
}

TEST(LinearKernel, Gradcheck) {
    auto t = zoo::make_kernel(linear_config(), 2, 4, 16);
    // values away from elu's kink at 0
    zoo::gradcheck_kernel(t, zoo::padding_mask(2, 6, {6, 4}), {2, 2, 6, 4});
}

}  // namespace
}  // namespace lm::nn
