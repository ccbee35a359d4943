// "linformer": E = identity gives exact softmax attention; shorter inputs use E's first columns;
// gradients (E included); padding; the seed fixes E.
#include "layers/attention/linformer_kernel.h"
#include "layers/attention/exact_reference.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig linformer_config(int64_t k) {
    AttentionConfig cfg;
    cfg.type = "linformer";
    cfg.linformer_k = k;
    return cfg;
}

Tensor& projection(zoo::TestKernel& t) {
    return dynamic_cast<LinformerKernel&>(*t.kernel).projection;
}

TEST(LinformerKernel, IdentityProjectionIsExactSoftmax) {
    const int64_t N = 10;
    auto t = zoo::make_kernel(linformer_config(N), 2, 4, N);
    {
        NoGradGuard no_grad;
        projection(t).copy_(eye(N, {DType::Float64}));
    }
    const Tensor mask = zoo::padding_mask(2, N, {N, N});
    const Tensor q = testing::random_tensor({2, 2, N, 4}, 1, DType::Float64, -2, 2);
    const Tensor k = testing::random_tensor({2, 2, N, 4}, 2, DType::Float64, -2, 2);
    const Tensor v = testing::random_tensor({2, 2, N, 4}, 3);
    EXPECT_LT(testing::max_abs_diff(t(q, k, v, mask), exact_softmax(q, k, v, mask)), 1e-13);
}

TEST(LinformerKernel, ShorterInputsUseTheFirstColumnsOnly) {
    auto t = zoo::make_kernel(linformer_config(3), 1, 4, 12);
    const Tensor mask = zoo::padding_mask(1, 7, {7});
    const Tensor q = testing::random_tensor({1, 1, 7, 4}, 4),
                 k = testing::random_tensor({1, 1, 7, 4}, 5);
    const Tensor v = testing::random_tensor({1, 1, 7, 4}, 6);
    const Tensor before = t(q, k, v, mask);
    NoGradGuard no_grad;
    projection(t).narrow(1, 7, 5).fill_(3.0);  // columns 7.. are unused at N = 7
    EXPECT_TRUE(testing::bitwise_equal(t(q, k, v, mask), before));
    projection(t).narrow(1, 6, 1).fill_(3.0);
    EXPECT_GT(testing::max_abs_diff(t(q, k, v, mask), before), 1e-6);
}

TEST(LinformerKernel, GradcheckPaddingAndSeed) {
    auto t = zoo::make_kernel(linformer_config(3), 2, 4, 8);
    const Tensor mask = zoo::padding_mask(2, 6, {6, 4});
    zoo::gradcheck_kernel(t, mask, {2, 2, 6, 4});
    const Tensor q = testing::random_tensor({2, 2, 6, 4}, 7),
                 k = testing::random_tensor({2, 2, 6, 4}, 8);
    const Tensor v = testing::random_tensor({2, 2, 6, 4}, 9);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-14);
    auto same = zoo::make_kernel(linformer_config(3), 2, 4, 8);
    auto other = zoo::make_kernel(linformer_config(3), 2, 4, 8, 2);
    EXPECT_TRUE(testing::bitwise_equal(projection(t), projection(same)));
    EXPECT_FALSE(testing::bitwise_equal(projection(t), projection(other)));
    EXPECT_NEAR(projection(t).to(DType::Float64).sum().item() / 24, 0.0, 0.03);  // N(0, 0.02^2)
}

}  // namespace
}  // namespace lm::nn
