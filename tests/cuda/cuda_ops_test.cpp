// Every op of the CPU backend run on CUDA and compared with the CPU (label `gpu`; skipped
// without a device): element-wise, broadcasting, casts, reductions, GEMMs, row-wise ops, losses,
// indexing, dropout (same Philox mask as the CPU), the sequence convolution, the FFT Toeplitz
// product, the attention cores and the fused optimizer steps.
#include "core/autograd/attention.h"
#include "core/autograd/toeplitz.h"
#include "core/ops/optim.h"
#include "tests/cuda/cuda_testing.h"

namespace lm {
namespace {

using testing::expect_same_on_gpu;
using testing::random_tensor;
using Inputs = std::vector<Tensor>;

constexpr double kTol32 = 2e-5, kTol64 = 1e-11;

TEST(CudaOps, UnaryFunctions) {
    LM_REQUIRE_GPU();
    const std::vector<std::pair<const char*, Tensor (*)(const Tensor&)>> fns = {
        {"neg", neg}, {"exp", exp},       {"tanh", tanh},   {"sigmoid", sigmoid}, {"relu", relu},
        {"abs", abs}, {"square", square}, {"log1p", log1p}, {"expm1", expm1},     {"sign", sign}};
    for (DType t : {DType::Float32, DType::Float64}) {
        const double tol = t == DType::Float32 ? kTol32 : kTol64;
        const Tensor x = random_tensor({7, 33}, 1, t, -0.9, 0.9);
        for (const auto& [name, fn] : fns)
            expect_same_on_gpu([fn](const Inputs& a) { return fn(a[0]); }, {x}, tol, tol, name);
        expect_same_on_gpu([](const Inputs& a) { return gelu(a[0], GeluApprox::Tanh); }, {x}, tol,
                           tol, "gelu");
        expect_same_on_gpu([](const Inputs& a) { return clamp(a[0], -0.3, 0.4); }, {x}, tol, tol,
                           "clamp");
    }
}

TEST(CudaOps, BinaryBroadcastAndStrided) {
    LM_REQUIRE_GPU();
    const Tensor a = random_tensor({4, 1, 6}, 2, DType::Float32);
    const Tensor b = random_tensor({5, 6}, 3, DType::Float32, 0.5, 1.5);
    expect_same_on_gpu([](const Inputs& x) { return x[0] + x[1]; }, {a, b}, kTol32, kTol32, "add");
    expect_same_on_gpu([](const Inputs& x) { return x[0] / x[1]; }, {a, b}, kTol32, kTol32, "div");
    expect_same_on_gpu([](const Inputs& x) { return maximum(x[0], x[1]); }, {a, b}, 0, 0, "max");
    expect_same_on_gpu([](const Inputs& x) { return where(lt(x[0], x[1]), x[0], x[1]); }, {a, b}, 0,
                       0, "where");
    const Tensor m = random_tensor({6, 5}, 4, DType::Float64);
    expect_same_on_gpu([](const Inputs& x) { return x[0].transpose(0, 1) * 2.0 + 1.0; }, {m}, 0,
                       kTol64, "strided affine");
}

TEST(CudaOps, CastsAndCopies) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({3, 17}, 5, DType::Float32, -4, 4);
    for (DType t : {DType::Float64, DType::BFloat16, DType::Float16, DType::Int32, DType::Int64})
        expect_same_on_gpu([t](const Inputs& a) { return a[0].to(t); }, {x}, 0, 0, dtype_name(t));
    expect_same_on_gpu([](const Inputs& a) { return a[0].transpose(0, 1).contiguous(); }, {x}, 0, 0,
                       "contiguous");
    const Tensor back = testing::on_cpu(testing::on_gpu(x));
    EXPECT_TRUE(testing::bitwise_equal(back, x));
}

TEST(CudaOps, Reductions) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({9, 300}, 6, DType::Float64);
    expect_same_on_gpu([](const Inputs& a) { return sum(a[0]); }, {x}, kTol64, kTol64, "sum");
    expect_same_on_gpu([](const Inputs& a) { return sum(a[0], {0}); }, {x}, kTol64, kTol64,
                       "sum cols");
    expect_same_on_gpu([](const Inputs& a) { return mean(a[0], {1}, true); }, {x}, kTol64, kTol64,
                       "mean rows");
    expect_same_on_gpu([](const Inputs& a) { return argmax(a[0], 1); }, {x}, 0, 0, "argmax");
    expect_same_on_gpu([](const Inputs& a) { return min(a[0], 0).first; }, {x}, 0, 0, "min");
}

TEST(CudaOps, MatmulsThroughCublas) {
    LM_REQUIRE_GPU();
    const Tensor a = random_tensor({3, 17, 9}, 7, DType::Float32);
    const Tensor b = random_tensor({9, 5}, 8, DType::Float32);
    const Tensor c = random_tensor({3, 9, 5}, 9, DType::Float64);
    expect_same_on_gpu([](const Inputs& x) { return matmul(x[0], x[1]); }, {a, b}, 1e-5, 1e-5,
                       "2-D weight");
    expect_same_on_gpu([](const Inputs& x) { return matmul(x[0].to(DType::Float64), x[1]); },
                       {a, c}, kTol64, kTol64, "batched");
    expect_same_on_gpu([](const Inputs& x) { return matmul(x[0].transpose(1, 2), x[0]); }, {a},
                       1e-5, 1e-5, "transposed");
}

TEST(CudaOps, RowwiseAndLosses) {
    LM_REQUIRE_GPU();
    for (DType t : {DType::Float32, DType::Float64}) {
        const double tol = t == DType::Float32 ? kTol32 : kTol64;
        const Tensor x = random_tensor({13, 70}, 10, t, -3, 3);
        const Tensor w = random_tensor({70}, 11, t), b = random_tensor({70}, 12, t);
        expect_same_on_gpu([](const Inputs& a) { return softmax(a[0]); }, {x}, tol, tol, "softmax");
        expect_same_on_gpu([](const Inputs& a) { return log_softmax(a[0]); }, {x}, tol, tol,
                           "log_softmax");
        expect_same_on_gpu([](const Inputs& a) { return layer_norm(a[0], a[1], a[2]); }, {x, w, b},
                           tol * 10, tol * 10, "layer_norm");
        const Tensor targets =
            from_vector<int64_t>({0, 5, 69, 3, -100, 1, 2, 3, 4, 5, 6, 7, 8}, {13}, {DType::Int64});
        expect_same_on_gpu([](const Inputs& a) { return cross_entropy(a[0], a[1], -100, 0.1); },
                           {x, targets}, tol, tol, "cross_entropy");
    }
}

TEST(CudaOps, IndexingAndEmbedding) {
    LM_REQUIRE_GPU();
    const Tensor w = random_tensor({10, 4}, 13, DType::Float32);
    const Tensor ids = from_vector<int64_t>({1, 9, 0, 1, 3, 3}, {2, 3}, {DType::Int64});
    expect_same_on_gpu([](const Inputs& a) { return embedding(a[0], a[1]); }, {ids, w}, 0, 0,
                       "embedding");
    const Tensor idx = from_vector<int64_t>({2, 0, 2}, {3}, {DType::Int64});
    expect_same_on_gpu([](const Inputs& a) { return index_select(a[0], 1, a[1]); }, {w, idx}, 0, 0,
                       "index_select");
    const Tensor bad = from_vector<int64_t>({2, 10}, {2}, {DType::Int64});
    EXPECT_THROW(index_select(testing::on_gpu(w), 0, testing::on_gpu(bad)), Error);
}

TEST(CudaOps, DropoutMatchesTheCpuMask) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({5, 301}, 14, DType::Float32);
    Generator g1(123), g2(123);
    const Tensor ref = dropout(x, 0.3, true, g1);
    const Tensor got = dropout(testing::on_gpu(x), 0.3, true, g2);
    testing::expect_close(testing::on_cpu(got), ref, 1e-6, 1e-6, "dropout");
}

TEST(CudaOps, ConvToeplitzAndAttention) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({2, 3, 19, 8}, 15, DType::Float32);
    const Tensor w = random_tensor({3, 5}, 16, DType::Float32);
    expect_same_on_gpu([](const Inputs& a) { return depthwise_conv_seq(a[0], a[1]); }, {x, w}, 1e-5,
                       1e-5, "conv (cuDNN)");
    const Tensor c = random_tensor({3, 37}, 17, DType::Float64);
    const Tensor xt = random_tensor({2, 3, 19, 4}, 18, DType::Float64);
    expect_same_on_gpu([](const Inputs& a) { return toeplitz_matmul(a[0], a[1]); }, {c, xt}, 1e-10,
                       1e-10, "toeplitz (cuFFT)");
    const Tensor q = random_tensor({2, 3, 19, 8}, 19, DType::Float32);
    Tensor mask = ones({2, 19}, {DType::Float32});
    mask.slice(1, 15, 19).fill_(0.0);
    expect_same_on_gpu([](const Inputs& a) { return softmax_attention(a[0], a[1], a[2], a[3]); },
                       {q, x, x, mask}, 1e-5, 1e-5, "softmax attention");
}

TEST(CudaOps, NystromBothLandmarkModesForwardAndBackward) {
    LM_REQUIRE_GPU();
    // ragged lengths, one shorter than the landmark count (empty slots) and one all padding
    const int64_t B = 4, H = 2, N = 40, D = 8;
    std::vector<double> m(B * N, 0.0);
    const int64_t lengths[] = {40, 23, 5, 0};
    for (int64_t b = 0; b < B; ++b)
        std::fill_n(m.begin() + b * N, lengths[b], 1.0);
    for (DType dtype : {DType::Float32, DType::Float64}) {
        const double tol = dtype == DType::Float64 ? kTol64 : kTol32;
        const Tensor mask = from_vector(m, {B, N}, {dtype});
        const Tensor q = random_tensor({B, H, N, D}, 31, dtype),
                     k = random_tensor({B, H, N, D}, 32, dtype),
                     v = random_tensor({B, H, N, D}, 33, dtype);
        for (auto mode : {ops::LandmarkMode::PerExample, ops::LandmarkMode::Reference}) {
            const ops::NystromConfig cfg{8, 6, ops::PinvInit::PerMatrix, mode};
            auto f = [&](const Inputs& a) {
                return nystrom_attention(a[0], a[1], a[2], a[3].detach(), cfg);
            };
            const std::string what =
                mode == ops::LandmarkMode::PerExample ? "nystrom per_example" : "nystrom reference";
            expect_same_on_gpu(f, {q, k, v, mask}, tol, tol, what);
            testing::expect_same_grads_on_gpu(
                [&](const Inputs& a) {
                    return f({a[0], a[1], a[2], mask.to(a[0].device())});
                },
                {q, k, v}, tol, tol, what);
        }
    }
}

TEST(CudaOps, FusedAdamW) {
    LM_REQUIRE_GPU();
    const Tensor p = random_tensor({1000}, 20, DType::Float32);
    const Tensor g = random_tensor({1000}, 21, DType::Float32);
    const auto coeffs = kernels::adam_coeffs(1e-3, 0.9, 0.999, 1e-8, 0.01, 3, true);
    Tensor pc = p.clone(), mc = zeros({1000}), vc = zeros({1000});
    Tensor pg = testing::on_gpu(p), mg = testing::on_gpu(mc), vg = testing::on_gpu(vc);
    for (int i = 0; i < 3; ++i) {
        ops::adam_step(pc, g, mc, vc, coeffs);
        ops::adam_step(pg, testing::on_gpu(g), mg, vg, coeffs);
    }
    testing::expect_close(testing::on_cpu(pg), pc, 1e-6, 1e-7, "adamw param");
    testing::expect_close(testing::on_cpu(vg), vc, 1e-6, 1e-9, "adamw exp_avg_sq");
    EXPECT_NEAR(ops::sum_of_squares(pg), ops::sum_of_squares(pc), 1e-3);
}

}  // namespace
}  // namespace lm
