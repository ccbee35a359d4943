// Gradients on CUDA against the CPU backend's (label `gpu`; skipped without a device): each
// differentiable op's backward kernels on the GPU must give the CPU's gradients (which the
// gradcheck suites of tests/core verify numerically), plus a numeric check on the GPU itself.
#include "core/autograd/attention.h"
#include "core/autograd/toeplitz.h"
#include "tests/cuda/cuda_testing.h"

namespace lm {
namespace {

using testing::expect_same_grads_on_gpu;
using testing::random_tensor;
using Inputs = std::vector<Tensor>;

constexpr double kTol = 1e-9;  // float64 throughout

TEST(CudaGrad, ElementwiseAndMatmul) {
    LM_REQUIRE_GPU();
    const Tensor a = random_tensor({4, 6}, 1), b = random_tensor({6, 3}, 2);
    expect_same_grads_on_gpu([](const Inputs& x) { return tanh(matmul(x[0], x[1])); }, {a, b}, kTol,
                             kTol, "tanh(a @ b)");
    expect_same_grads_on_gpu([](const Inputs& x) { return gelu(x[0]) * sigmoid(x[0]); }, {a}, kTol,
                             kTol, "gelu * sigmoid");
    expect_same_grads_on_gpu([](const Inputs& x) { return sum(x[0] * x[0], {1}); }, {a}, kTol, kTol,
                             "row sums");
}

TEST(CudaGrad, RowwiseAndLoss) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({5, 40}, 3, DType::Float64, -2, 2);
    const Tensor w = random_tensor({40}, 4), b = random_tensor({40}, 5);
    expect_same_grads_on_gpu([](const Inputs& v) { return softmax(v[0]); }, {x}, kTol, kTol,
                             "softmax");
    expect_same_grads_on_gpu([](const Inputs& v) { return layer_norm(v[0], v[1], v[2]); },
                             {x, w, b}, 1e-8, 1e-8, "layer_norm");
    const Tensor t = from_vector<int64_t>({1, 0, 39, 7, 2}, {5}, {DType::Int64});
    std::vector<Tensor> cpu{x.detach().clone().requires_grad_()};
    Tensor dev = testing::on_gpu(x).requires_grad_();
    cross_entropy(cpu[0], t, -100, 0.1).backward();
    cross_entropy(dev, testing::on_gpu(t), -100, 0.1).backward();
    testing::expect_close(testing::on_cpu(dev.grad()), cpu[0].grad(), kTol, kTol, "ce grad");
}

TEST(CudaGrad, SequenceOps) {
    LM_REQUIRE_GPU();
    const Tensor x = random_tensor({2, 2, 11, 4}, 6), w = random_tensor({2, 3}, 7);
    expect_same_grads_on_gpu([](const Inputs& v) { return depthwise_conv_seq(v[0], v[1]); }, {x, w},
                             1e-8, 1e-8, "conv");
    const Tensor c = random_tensor({2, 21}, 8);
    expect_same_grads_on_gpu([](const Inputs& v) { return toeplitz_matmul(v[0], v[1]); }, {c, x},
                             1e-8, 1e-8, "toeplitz");
    const Tensor mask = ones({2, 11}, {DType::Float64});
    expect_same_grads_on_gpu(
        [&](const Inputs& v) {
            return softmax_attention(v[0], v[1], v[2], mask.to(v[0].device()));
        },
        {x, random_tensor({2, 2, 11, 4}, 9), random_tensor({2, 2, 11, 4}, 10)}, 1e-8, 1e-8,
        "softmax attention");
}

TEST(CudaGrad, NumericCheckOnTheGpu) {
    LM_REQUIRE_GPU();
    Tensor x = testing::on_gpu(random_tensor({3, 7}, 11)).requires_grad_();
    const auto f = [](const Tensor& v) { return sum(log_softmax(v) * exp(v * 0.5)); };
    f(x).backward();
    const std::vector<double> g = x.grad().to_vector<double>();
    const std::vector<double> base = x.to_vector<double>();
    const double eps = 1e-6;
    for (size_t i = 0; i < base.size(); i += 4) {
        std::vector<double> up = base, down = base;
        up[i] += eps;
        down[i] -= eps;
        const Tensor tu = testing::on_gpu(from_vector(up, {3, 7}, {DType::Float64}));
        const Tensor td = testing::on_gpu(from_vector(down, {3, 7}, {DType::Float64}));
        const double numeric = (f(tu).item() - f(td).item()) / (2 * eps);
        EXPECT_NEAR(g[i], numeric, 1e-6 * (1 + std::fabs(numeric))) << "element " << i;
    }
}

}  // namespace
}  // namespace lm
