// "kernelized_rpe": the FFT Toeplitz path equals the dense product with the same features (to
// 1e-12); the PRF estimate converges to exact RPE attention as features grow; gradients (bias
// included); padding; which biases a shorter input uses; seed.
#include "layers/attention/kernelized_rpe_kernel.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/exact_reference.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig rpe_config(int64_t m) {
    AttentionConfig cfg;
    cfg.type = "kernelized_rpe";
    cfg.rpe_features = m;
    return cfg;
}

KernelizedRpeKernel& rpe(zoo::TestKernel& t) {
    return dynamic_cast<KernelizedRpeKernel&>(*t.kernel);
}

void set_bias(zoo::TestKernel& t, uint64_t seed) {
    NoGradGuard no_grad;
    rpe(t).bias.copy_(testing::random_tensor(rpe(t).bias.shape(), seed, DType::Float64, -2, 2));
}

// sum_j c_{j-i} (phi_q,i . phi_k,j) v_j / sum_j c_{j-i} phi_q,i . phi_k,j with a dense C.
Tensor dense_rpe(KernelizedRpeKernel& kr,
                 const Tensor& q,
                 const Tensor& k,
                 const Tensor& v,
                 const Tensor& mask) {
    const int64_t N = q.size(2);
    const Tensor b = kr.bias_for_length(N);
    const Tensor phi_q = kr.feature_map(l2_normalize(q)), phi_k = kr.feature_map(l2_normalize(k));
    const Tensor expb = exp(b);  // [H, 2N - 1]
    std::vector<double> cv(expb.to_vector<double>()), dense;
    const int64_t H = b.size(0);
    for (int64_t h = 0; h < H; ++h) {
        for (int64_t i = 0; i < N; ++i) {
            for (int64_t j = 0; j < N; ++j)
                dense.push_back(cv[h * (2 * N - 1) + j - i + N - 1]);
        }
    }
    const Tensor C = from_vector(dense, {1, H, N, N}, {DType::Float64});
    const Tensor W = matmul(phi_q, phi_k.mT()) * C * mask.view({mask.size(0), 1, 1, N});
    return matmul(W, v) / sum(W, {3}, true);
}

TEST(KernelizedRpeKernel, FftPathEqualsTheDenseToeplitzProduct) {
    const int64_t N = 13;
    auto t = zoo::make_kernel(rpe_config(5), 2, 4, 20);
    set_bias(t, 1);
    const Tensor mask = zoo::padding_mask(2, N, {N, 8});
    const Tensor q = testing::random_tensor({2, 2, N, 4}, 2),
                 k = testing::random_tensor({2, 2, N, 4}, 3);
    const Tensor v = testing::random_tensor({2, 2, N, 3}, 4);
    const Tensor keep = mask.view({2, 1, N, 1});
    EXPECT_LT(
        testing::max_abs_diff(t(q, k, v, mask) * keep, dense_rpe(rpe(t), q, k, v, mask) * keep),
        1e-12);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-12);
}

TEST(KernelizedRpeKernel, ConvergesToExactRpeAttentionAsFeaturesGrow) {
    const int64_t N = 16, d = 8;
    const Tensor mask = zoo::padding_mask(1, N, {14});
    const Tensor keep = mask.view({1, 1, N, 1});
    const Tensor q = testing::random_tensor({1, 2, N, d}, 5),
                 k = testing::random_tensor({1, 2, N, d}, 6);
    const Tensor v = testing::random_tensor({1, 2, N, d}, 7);
    double err[2];
    for (int i = 0; i < 2; ++i) {
        auto t = zoo::make_kernel(rpe_config(i == 0 ? 4 : 8192), 2, d, N);
        set_bias(t, 8);
        const Tensor exact = own_exact_reference(*t.kernel, q, k, v, mask) * keep;
        err[i] = testing::relative_error(t(q, k, v, mask) * keep, exact);
    }
    EXPECT_LT(err[1], 0.06) << err[0];
    EXPECT_LT(err[1], err[0] / 4) << err[0];
}

TEST(KernelizedRpeKernel, ShorterInputsUseTheCentralBiases) {
    auto t = zoo::make_kernel(rpe_config(3), 1, 4, 10);
    EXPECT_EQ(rpe(t).bias.shape(), (Shape{1, 19}));
    EXPECT_EQ(rpe(t).bias.to(DType::Float64).sum().item(), 0.0);  // initialised to 0
    set_bias(t, 9);
    const auto full = rpe(t).bias.to_vector<double>();
    const auto used = rpe(t).bias_for_length(4).to_vector<double>();  // offsets -3..3
    ASSERT_EQ(used.size(), 7u);
    for (int64_t o = -3; o <= 3; ++o)
        EXPECT_EQ(used[o + 3], full[o + 9]);
}

TEST(KernelizedRpeKernel, GradcheckAndSeed) {
    auto t = zoo::make_kernel(rpe_config(3), 2, 4, 7);
    set_bias(t, 10);
    zoo::gradcheck_kernel(t, zoo::padding_mask(2, 6, {6, 4}), {2, 2, 6, 4});
    auto same = zoo::make_kernel(rpe_config(3), 2, 4, 7);
    auto other = zoo::make_kernel(rpe_config(3), 2, 4, 7, 2);
    EXPECT_TRUE(testing::bitwise_equal(rpe(t).omega, rpe(same).omega));
    EXPECT_FALSE(testing::bitwise_equal(rpe(t).omega, rpe(other).omega));
}

}  // namespace
}  // namespace lm::nn
