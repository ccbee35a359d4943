// Attention kernels as modules: gradient checks (double), the Nystrom approximation against
// exact softmax, and the registry.
#include <gtest/gtest.h>

#include <cmath>

#include "core/autograd/attention.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/registry.h"
#include "tests/support/gradcheck.h"

namespace lm::nn {
namespace {

using lm::testing::gradcheck;
using lm::testing::leaf;

Tensor padding_mask(int64_t B, int64_t N, const std::vector<int64_t>& lengths) {
    std::vector<double> m(B * N, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < lengths[b]; ++i)
            m[b * N + i] = 1.0;
    }
    return from_vector(m, {B, N}, {DType::Float64});
}

std::shared_ptr<AttentionKernel> kernel(AttentionConfig cfg,
                                        int64_t heads,
                                        Generator& init,
                                        Generator& drop) {
    auto k = make_attention_kernel(cfg, {heads, 4, 64, &init, &drop});
    k->to(DType::Float64);
    k->eval();
    return k;
}

TEST(AttentionKernel, NystromGradcheckWithConvAndPadding) {
    Generator init(1), drop(2);
    AttentionConfig cfg;
    cfg.type = "nystrom";
    cfg.landmarks = 4;
    cfg.conv_kernel = 3;
    auto k = kernel(cfg, 2, init, drop);
    const Tensor mask = padding_mask(2, 12, {12, 9});
    Tensor q = leaf({2, 2, 12, 4}, 3), kk = leaf({2, 2, 12, 4}, 4), v = leaf({2, 2, 12, 4}, 5);
    std::vector<Tensor> inputs = {q, kk, v};
    for (auto& [name, p] : k->named_parameters())
        inputs.push_back(p);
    gradcheck([&](const std::vector<Tensor>& in) { return k->forward(in[0], in[1], in[2], mask); },
              inputs, {}, "nystrom");
}

TEST(AttentionKernel, NystromTakesLengthsThatAreNotMultiplesInBothLandmarkModes) {
    // per_example: segments of sizes 2, 3, 2, 3; reference: padded to 12 inside
    for (const char* mode : {"per_example", "reference"}) {
        Generator init(1), drop(2);
        AttentionConfig cfg;
        cfg.landmarks = 4;
        cfg.conv_kernel = 0;
        cfg.landmark_mode = mode;
        auto k = kernel(cfg, 1, init, drop);
        const Tensor mask = padding_mask(1, 10, {10});
        Tensor q = leaf({1, 1, 10, 4}, 6), kk = leaf({1, 1, 10, 4}, 7), v = leaf({1, 1, 10, 4}, 8);
        const Tensor out = k->forward(q, kk, v, mask);
        EXPECT_EQ(out.shape(), (Shape{1, 1, 10, 4}));
        gradcheck(
            [&](const std::vector<Tensor>& in) { return k->forward(in[0], in[1], in[2], mask); },
            {q, kk, v}, {}, std::string("nystrom, landmark_mode ") + mode);
    }
}

TEST(AttentionKernel, SoftmaxGradcheck) {
    Generator init(1), drop(2);
    AttentionConfig cfg;
    cfg.type = "softmax";
    auto k = kernel(cfg, 2, init, drop);
    const Tensor mask = padding_mask(2, 70, {70, 33});  // > one block of 64 query rows
    Tensor q = leaf({2, 2, 70, 4}, 9), kk = leaf({2, 2, 70, 4}, 10), v = leaf({2, 2, 70, 4}, 11);
    gradcheck([&](const std::vector<Tensor>& in) { return k->forward(in[0], in[1], in[2], mask); },
              {q, kk, v}, {}, "softmax");
}

TEST(AttentionKernel, SoftmaxDropoutGradcheckWithFixedGenerator) {
    const Tensor mask = padding_mask(1, 9, {7});
    Tensor q = leaf({1, 2, 9, 4}, 12), kk = leaf({1, 2, 9, 4}, 13), v = leaf({1, 2, 9, 4}, 14);
    SoftmaxAttentionOptions opts;
    opts.dropout = 0.3;
    gradcheck(
        [&](const std::vector<Tensor>& in) {
            Generator gen(77);  // the same mask in every evaluation
            return softmax_attention(in[0], in[1], in[2], mask, opts, true, gen);
        },
        {q, kk, v}, {}, "softmax with dropout");
}

// Relative Frobenius error of Nystrom (no conv) against exact softmax attention.
double nystrom_error(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, int64_t m) {
    NoGradGuard no_grad;
    const Tensor exact = softmax_attention(q, k, v, mask);
    const Tensor approx = nystrom_attention(
        q, k, v, mask, {m, 6, ops::PinvInit::Global, ops::LandmarkMode::Reference});
    return lm::testing::relative_error(approx, exact);
}

TEST(AttentionKernel, NystromErrorFallsAsLandmarksGrowAndIsExactAtN) {
    const int64_t N = 256;
    const Tensor mask = padding_mask(1, N, {N});
    // Smooth, correlated queries and keys (as trained models have) make the kernel low rank.
    Tensor base = lm::testing::random_tensor({1, 2, N, 16}, 21);
    Tensor q = base + 0.3 * lm::testing::random_tensor({1, 2, N, 16}, 22);
    Tensor k = base + 0.3 * lm::testing::random_tensor({1, 2, N, 16}, 23);
    Tensor v = lm::testing::random_tensor({1, 2, N, 16}, 24);
    double prev = 1e9;
    for (int64_t m : {4, 16, 64, 128}) {
        const double err = nystrom_error(q, k, v, mask, m);
        EXPECT_LT(err, prev) << "m = " << m;
        prev = err;
    }
    EXPECT_LT(nystrom_error(q, k, v, mask, N), 1e-12);  // m = n: the exact branch
}

TEST(AttentionKernel, RegistryNamesAndErrors) {
    Generator init(1), drop(2);
    AttentionConfig cfg;
    cfg.type = "nystorm";
    try {
        make_attention_kernel(cfg, {2, 4, 64, &init, &drop});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'nystrom'"), std::string::npos)
            << e.what();
    }
    cfg.type = "nystrom";
    cfg.conv_kernel = 4;
    EXPECT_THROW(make_attention_kernel(cfg, {2, 4, 64, &init, &drop}), Error);
    cfg.conv_kernel = 3;
    cfg.landmark_mode = "per_token";
    try {
        make_attention_kernel(cfg, {2, 4, 64, &init, &drop});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(
            std::string(e.what()).find("landmark_mode: expected one of per_example, reference"),
            std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace lm::nn
