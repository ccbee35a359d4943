// "skyformer": with every row of [q'; k'] as a landmark (gamma = 0, a converged inverse) it is the
// exact Gaussian-kernel attention; sampled landmarks approximate it; gradients; padding; fresh
// landmarks every forward, reproducible from the generator.
#include "layers/attention/skyformer_kernel.h"
#include "layers/attention/exact_reference.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig sky_config(int64_t landmarks, double gamma = 0.1, int64_t iterations = 6) {
    AttentionConfig cfg;
    cfg.type = "skyformer";
    cfg.skyformer_landmarks = landmarks;
    cfg.gamma = gamma;
    cfg.pinv_iterations = iterations;
    return cfg;
}

TEST(SkyformerKernel, AllPointsAsLandmarksIsExactGaussianAttention) {
    const int64_t N = 6, d = 4;
    auto t = zoo::make_kernel(sky_config(2 * N, 0.0, 60), 2, d, N);
    const Tensor mask = zoo::padding_mask(2, N, {N, N});
    // spread-out points keep the 2N x 2N kernel matrix well conditioned
    const Tensor q = testing::random_tensor({2, 2, N, d}, 1, DType::Float64, -2, 2);
    const Tensor k = testing::random_tensor({2, 2, N, d}, 2, DType::Float64, -2, 2);
    const Tensor v = testing::random_tensor({2, 2, N, d}, 3);
    const Tensor exact = exact_gaussian(q, k, v, mask);
    EXPECT_LT(testing::relative_error(t(q, k, v, mask), exact), 1e-9);
    EXPECT_TRUE(own_exact_reference(*t.kernel, q, k, v, mask).defined());
}

TEST(SkyformerKernel, SampledLandmarksApproximateTheKernelAttention) {
    const int64_t N = 64, d = 8;
    const Tensor mask = zoo::padding_mask(1, N, {50});
    const Tensor keep = mask.view({1, 1, N, 1});
    const Tensor q = testing::random_tensor({1, 2, N, d}, 4),
                 k = testing::random_tensor({1, 2, N, d}, 5);
    const Tensor v = testing::random_tensor({1, 2, N, d}, 6);
    const Tensor exact = exact_gaussian(q, k, v, mask) * keep;
    double err[2];
    for (int i = 0; i < 2; ++i) {
        auto t = zoo::make_kernel(sky_config(i == 0 ? 4 : 64), 2, d, N);
        err[i] = testing::relative_error(t(q, k, v, mask) * keep, exact);
    }
    EXPECT_LT(err[1], 0.2);
    EXPECT_LT(err[1], err[0]);
}

TEST(SkyformerKernel, GradcheckAndPadding) {
    auto t = zoo::make_kernel(sky_config(4), 2, 4, 8);
    const Tensor mask = zoo::padding_mask(2, 6, {6, 4});
    zoo::gradcheck_kernel(t, mask, {2, 2, 6, 4});
    const Tensor q = testing::random_tensor({2, 2, 6, 4}, 7),
                 k = testing::random_tensor({2, 2, 6, 4}, 8);
    const Tensor v = testing::random_tensor({2, 2, 6, 4}, 9);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-13);
}

TEST(SkyformerKernel, FreshLandmarksEachTrainingForwardReproducibleFromTheGenerator) {
    const Tensor mask = zoo::padding_mask(1, 16, {16});
    const Tensor q = testing::random_tensor({1, 1, 16, 4}, 10),
                 k = testing::random_tensor({1, 1, 16, 4}, 11);
    const Tensor v = testing::random_tensor({1, 1, 16, 4}, 12);
    auto a = zoo::make_kernel(sky_config(4), 1, 4, 16);
    auto b = zoo::make_kernel(sky_config(4), 1, 4, 16);
    a.kernel->train();
    b.kernel->train();
    const Tensor a1 = a.kernel->forward(q, k, v, mask), a2 = a.kernel->forward(q, k, v, mask);
    EXPECT_GT(testing::max_abs_diff(a1, a2), 1e-6);  // new landmarks on the second call
    EXPECT_TRUE(testing::bitwise_equal(a1, b.kernel->forward(q, k, v, mask)));
    EXPECT_TRUE(testing::bitwise_equal(a2, b.kernel->forward(q, k, v, mask)));
}

TEST(SkyformerKernel, EvaluationLandmarksDependOnTheExampleAlone) {
    // eval: the same landmarks on every call, and for an example alone or after another one
    const Tensor q = testing::random_tensor({2, 1, 16, 4}, 13),
                 k = testing::random_tensor({2, 1, 16, 4}, 14);
    const Tensor v = testing::random_tensor({2, 1, 16, 4}, 15);
    auto t = zoo::make_kernel(sky_config(4), 1, 4, 16);
    const Tensor both = zoo::padding_mask(2, 16, {16, 11});
    const Tensor e1 = t.kernel->forward(q, k, v, both), e2 = t.kernel->forward(q, k, v, both);
    EXPECT_TRUE(testing::bitwise_equal(e1, e2));
    auto second = [](const Tensor& x) { return x.narrow(0, 1, 1).narrow(2, 0, 11).contiguous(); };
    const Tensor alone =
        t.kernel->forward(second(q), second(k), second(v), zoo::padding_mask(1, 11, {11}));
    EXPECT_LT(testing::relative_error(second(e1), alone), 1e-12);
}

}  // namespace
}  // namespace lm::nn
