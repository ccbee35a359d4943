// Values of the non-differentiable ops (factories, eye, one_hot, argmax, comparisons,
// logical_not) and forward values of the differentiable ones against plain double formulas:
// gradient checks only prove a backward matches its forward, these prove the forward.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::expect_values;

std::vector<int32_t> as_int(const Tensor& t) {
    return t.to_vector<int32_t>();
}

TEST(OpsValues, Factories) {
    const Tensor z = zeros({2, 3});
    EXPECT_EQ(z.dtype(), DType::Float32);
    expect_values(z, std::vector<double>(6, 0.0));
    expect_values(ones({4}, {DType::Int32}), {1, 1, 1, 1});
    expect_values(full({2, 2}, -2.5, {DType::Float64}), {-2.5, -2.5, -2.5, -2.5});
    EXPECT_EQ(full({}, 3.0).dim(), 0);
    EXPECT_EQ(as_int(full({3}, 1.0, {DType::Bool})), (std::vector<int32_t>{1, 1, 1}));
    const Tensor a = arange(5);
    EXPECT_EQ(a.dtype(), DType::Int64);
    EXPECT_EQ(a.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    expect_values(arange(3, {DType::Float32}), {0, 1, 2});
    EXPECT_EQ(arange(0).numel(), 0);
    expect_values(eye(3), {1, 0, 0, 0, 1, 0, 0, 0, 1});
    EXPECT_EQ(eye(2, {DType::Float64}).dtype(), DType::Float64);
    const Tensor zl = zeros_like(eye(2, {DType::Int64}));
    EXPECT_EQ(zl.dtype(), DType::Int64);
    expect_values(ones_like(zl), {1, 1, 1, 1});
    expect_values(tensor({1.5, -2}), {1.5, -2});
    EXPECT_THROW(from_vector(std::vector<float>{1, 2, 3}, {2, 2}), Error);
    EXPECT_THROW(zeros({2, -1}), Error);
}

TEST(OpsValues, OneHot) {
    const Tensor ids = from_vector(std::vector<int64_t>{2, 0, 3, 2}, {2, 2}, {DType::Int64});
    const Tensor oh = one_hot(ids, 4);
    EXPECT_EQ(oh.shape(), Shape({2, 2, 4}));
    EXPECT_EQ(oh.dtype(), DType::Float32);
    expect_values(oh, {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0});
    const Tensor ids32 = from_vector(std::vector<int32_t>{1}, {1}, {DType::Int32});
    EXPECT_EQ(as_int(one_hot(ids32, 3, DType::Int32)), (std::vector<int32_t>{0, 1, 0}));
    EXPECT_THROW(one_hot(ids, 3), Error);  // id 3 out of range
    EXPECT_THROW(one_hot(from_vector(std::vector<int64_t>{-1}, {1}, {DType::Int64}), 3), Error);
}

TEST(OpsValues, Argmax) {
    const Tensor x = tensor({1, 5, 5, 0, -1, 2, 7, 7, 3, 3, 3, 9}).view({3, 4});
    EXPECT_EQ(argmax(x, 1).to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 3}));  // first max
    EXPECT_EQ(argmax(x, 0).to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1, 2}));
    EXPECT_EQ(argmax(x, -1, true).shape(), Shape({3, 1}));
    EXPECT_EQ(argmax(x.mT(), 1).to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1, 2}));
    const Tensor nan = tensor({1.0, std::nan(""), 3.0});
    EXPECT_EQ(argmax(nan, 0).item(), 1.0);  // NaN counts as the maximum
    auto [mv, mi] = min(x, 1);
    expect_values(mv, {0, -1, 3});
    EXPECT_EQ(mi.to_vector<int64_t>(), (std::vector<int64_t>{3, 0, 0}));
    auto [xv, xi] = max(x, 0, true);
    EXPECT_EQ(xv.shape(), Shape({1, 4}));
    expect_values(xv, {3, 5, 7, 9});
    EXPECT_EQ(max(x).item(), 9.0);
}

TEST(OpsValues, Comparisons) {
    const Tensor a = tensor({1, 2, 3}), b = tensor({2, 2, 2});
    struct Case {
        const char* name;
        Tensor out;
        std::vector<int32_t> expected;
    };
    const Case cases[] = {
        {"eq", eq(a, b), {0, 1, 0}}, {"ne", ne(a, b), {1, 0, 1}}, {"lt", lt(a, b), {1, 0, 0}},
        {"le", le(a, b), {1, 1, 0}}, {"gt", gt(a, b), {0, 0, 1}}, {"ge", ge(a, b), {0, 1, 1}},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(c.out.dtype(), DType::Bool) << c.name;
        EXPECT_FALSE(c.out.requires_grad()) << c.name;
        EXPECT_EQ(as_int(c.out), c.expected) << c.name;
    }
    // broadcasting, integer operands, and NaN (unequal to everything, itself included)
    EXPECT_EQ(as_int(lt(a.view({3, 1}), tensor({2.5}))), (std::vector<int32_t>{1, 1, 0}));
    const Tensor i = arange(4);
    EXPECT_EQ(as_int(ge(i, from_vector(std::vector<int64_t>{2}, {}, {DType::Int64}))),
              (std::vector<int32_t>{0, 0, 1, 1}));
    const Tensor n = tensor({std::nan("")});
    EXPECT_EQ(as_int(eq(n, n)), (std::vector<int32_t>{0}));
    EXPECT_EQ(as_int(ne(n, n)), (std::vector<int32_t>{1}));
    // comparisons of inputs that require grad record nothing
    Tensor g = tensor({1.0}).requires_grad_();
    EXPECT_FALSE(gt(g, tensor({0.0})).requires_grad());
}

TEST(OpsValues, LogicalNot) {
    const Tensor m = gt(tensor({1, -1, 0, 2}), tensor({0}));
    const Tensor n = logical_not(m);
    EXPECT_EQ(n.dtype(), DType::Bool);
    EXPECT_EQ(as_int(n), (std::vector<int32_t>{0, 1, 1, 0}));
    EXPECT_EQ(as_int(logical_not(n.slice(0, 0, 4, 2))), (std::vector<int32_t>{1, 0}));
    EXPECT_THROW(logical_not(tensor({1.0})), Error);
}

TEST(OpsValues, WhereAndMaskedFill) {
    const Tensor cond = gt(tensor({1, -1, 2}), tensor({0}));
    expect_values(where(cond, tensor({1, 2, 3}), tensor({-1})), {1, -1, 3});
    expect_values(masked_fill(tensor({1, 2, 3, 4, 5, 6}).view({2, 3}), cond, -9),
                  {-9, 2, -9, -9, 5, -9});
    const Tensor ic = from_vector(std::vector<int64_t>{5, 6, 7}, {3}, {DType::Int64});
    EXPECT_EQ(where(cond, ic, ic * 0 + 1).to_vector<int64_t>(), (std::vector<int64_t>{5, 1, 7}));
}

// Unary forward values against libm in double (exact formulas) and in float (fast math).
TEST(OpsValues, UnaryForwardMatchesFormulas) {
    const std::vector<double> xs = {-3.0, -1.2, -0.3, 0.4, 0.9, 2.5};
    auto sigm = [](double x) { return 1 / (1 + std::exp(-x)); };
    struct Case {
        const char* name;
        std::function<Tensor(const Tensor&)> fn;
        std::function<double(double)> ref;
    };
    const double c = std::sqrt(2 / M_PI);
    const Case cases[] = {
        {"neg", [](const Tensor& x) { return neg(x); }, [](double x) { return -x; }},
        {"exp", [](const Tensor& x) { return exp(x); }, [](double x) { return std::exp(x); }},
        {"tanh", [](const Tensor& x) { return tanh(x); }, [](double x) { return std::tanh(x); }},
        {"sigmoid", [](const Tensor& x) { return sigmoid(x); }, sigm},
        {"relu", [](const Tensor& x) { return relu(x); }, [](double x) { return x > 0 ? x : 0; }},
        {"gelu_erf", [](const Tensor& x) { return gelu(x); },
         [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
        {"gelu_tanh", [](const Tensor& x) { return gelu(x, GeluApprox::Tanh); },
         [c](double x) { return 0.5 * x * (1 + std::tanh(c * (x + 0.044715 * x * x * x))); }},
        {"elu", [](const Tensor& x) { return elu(x, 0.5); },
         [](double x) { return x > 0 ? x : 0.5 * (std::exp(x) - 1); }},
        {"softplus", [](const Tensor& x) { return softplus(x, 2.0); },
         [](double x) { return std::log1p(std::exp(2 * x)) / 2; }},
        {"softplus_threshold", [](const Tensor& x) { return softplus(x, 1.0, 2.0); },
         [](double x) { return x > 2 ? x : std::log1p(std::exp(x)); }},
        {"leaky_relu", [](const Tensor& x) { return leaky_relu(x, 0.2); },
         [](double x) { return x > 0 ? x : 0.2 * x; }},
        {"abs", [](const Tensor& x) { return abs(x); }, [](double x) { return std::fabs(x); }},
        {"square", [](const Tensor& x) { return square(x); }, [](double x) { return x * x; }},
        {"reciprocal", [](const Tensor& x) { return reciprocal(x); },
         [](double x) { return 1 / x; }},
        {"expm1", [](const Tensor& x) { return expm1(x); }, [](double x) { return std::expm1(x); }},
        {"pow3", [](const Tensor& x) { return pow(x, 3.0); }, [](double x) { return x * x * x; }},
        {"clamp", [](const Tensor& x) { return clamp(x, -1.0, 1.0); },
         [](double x) { return std::min(1.0, std::max(-1.0, x)); }},
        {"sign", [](const Tensor& x) { return sign(x); },
         [](double x) { return static_cast<double>((x > 0) - (x < 0)); }},
        {"affine", [](const Tensor& x) { return affine(x, 2.0, -1.0); },
         [](double x) { return 2 * x - 1; }},
    };
    const Tensor x64 = from_vector(xs, {6}, {DType::Float64}), x32 = x64.to(DType::Float32);
    for (const Case& cs : cases) {
        std::vector<double> ref;
        for (double x : xs)
            ref.push_back(cs.ref(x));
        testing::expect_close(cs.fn(x64), from_vector(ref, {6}, {DType::Float64}), 1e-14, 1e-15,
                              std::string(cs.name) + " float64");
        testing::expect_close(cs.fn(x32), from_vector(ref, {6}, {DType::Float64}), 2e-6, 1e-6,
                              std::string(cs.name) + " float32");
    }
    // positive-domain functions
    const Tensor p = tensor({0.25, 1.0, 4.0}, {DType::Float64});
    expect_values(log(p), {std::log(0.25), 0.0, std::log(4.0)}, 1e-15);
    expect_values(sqrt(p), {0.5, 1, 2}, 1e-15);
    expect_values(rsqrt(p), {2, 1, 0.5}, 1e-15);
    expect_values(log1p(p), {std::log1p(0.25), std::log(2.0), std::log(5.0)}, 1e-15);
    expect_values(pow(p, -0.5), {2, 1, 0.5}, 1e-15);
    // integer tensors support the sign-and-scale functions
    const Tensor i = from_vector(std::vector<int32_t>{-3, 0, 4}, {3}, {DType::Int32});
    EXPECT_EQ(abs(i).to_vector<int32_t>(), (std::vector<int32_t>{3, 0, 4}));
    EXPECT_EQ(relu(i).to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 4}));
    EXPECT_EQ(neg(i).to_vector<int32_t>(), (std::vector<int32_t>{3, 0, -4}));
    EXPECT_THROW(exp(i), Error);
}

TEST(OpsValues, ReductionsAndRowFunctions) {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {DType::Float64}).view({2, 3});
    expect_values(sum(x), {21});
    expect_values(sum(x, {0}), {5, 7, 9});
    expect_values(sum(x, {1}, true), {6, 15});
    EXPECT_EQ(sum(x, {1}, true).shape(), Shape({2, 1}));
    expect_values(mean(x, {-1}), {2, 5});
    expect_values(mean(x.mT(), {0}), {2, 5});
    expect_values(sum(x, {0, 1}), {21});
    EXPECT_EQ(sum(x).dim(), 0);
    EXPECT_EQ(sum(arange(5)).to_vector<int64_t>(), (std::vector<int64_t>{10}));
    expect_values(sum(zeros({0, 3}), {0}), {0, 0, 0});
    // softmax / log_softmax of [0, ln 2, ln 5]: [1/8, 2/8, 5/8]
    const Tensor s = tensor({0, std::log(2.0), std::log(5.0)}, {DType::Float64});
    expect_values(softmax(s), {0.125, 0.25, 0.625}, 1e-15);
    expect_values(log_softmax(s), {std::log(0.125), std::log(0.25), std::log(0.625)}, 1e-15);
    expect_values(softmax(s + 1000.0), {0.125, 0.25, 0.625}, 1e-12);  // e^1000 would overflow
    // layer norm of [1, 2, 3, 4]: mean 2.5, var 1.25
    const Tensor l = tensor({1, 2, 3, 4}, {DType::Float64});
    const double r = 1 / std::sqrt(1.25 + 1e-5);
    expect_values(layer_norm(l, Tensor(), Tensor()), {-1.5 * r, -0.5 * r, 0.5 * r, 1.5 * r}, 1e-14);
    const Tensor w = tensor({1, 2, 3, 4}, {DType::Float64}),
                 b = tensor({0, 0, 1, 1}, {DType::Float64});
    expect_values(layer_norm(l, w, b), {-1.5 * r, -1.0 * r, 1.5 * r + 1, 6 * r + 1}, 1e-14);
}

// Column sums of rows wider than one reduction block (16384) take the column-range path: every
// column, the partial last column block included, equals its row-ordered sum (exact here).
TEST(OpsValues, SumOverLeadingDimOfWideRows) {
    const int64_t rows = 5, cols = 16384 + 1024 + 7;
    std::vector<float> data(static_cast<size_t>(rows * cols));
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<float>(static_cast<int64_t>(i) % 97 - 48);
    const std::vector<float> sums = sum(from_vector(data, {rows, cols}), {0}).to_vector<float>();
    ASSERT_EQ(static_cast<int64_t>(sums.size()), cols);
    for (int64_t c = 0; c < cols; ++c) {
        float expected = 0;
        for (int64_t r = 0; r < rows; ++r)
            expected += data[static_cast<size_t>(r * cols + c)];
        ASSERT_EQ(sums[static_cast<size_t>(c)], expected) << "column " << c;
    }
}

TEST(OpsValues, EmbeddingIndexSelectGather) {
    const Tensor w = tensor({0, 1, 10, 11, 20, 21}).view({3, 2});
    const Tensor ids = from_vector(std::vector<int64_t>{2, 0, 2}, {3}, {DType::Int64});
    expect_values(embedding(ids.view({1, 3}), w), {20, 21, 0, 1, 20, 21});
    EXPECT_EQ(embedding(ids.view({1, 3}), w).shape(), Shape({1, 3, 2}));
    expect_values(index_select(w, 1, from_vector(std::vector<int64_t>{1, 1}, {2}, {DType::Int64})),
                  {1, 1, 11, 11, 21, 21});
    expect_values(index_select(w, 0, from_vector(std::vector<int64_t>{1}, {}, {DType::Int64})),
                  {10, 11});
    const Tensor gi = from_vector(std::vector<int64_t>{1, 0, 0, 0, 1, 1}, {3, 2}, {DType::Int64});
    expect_values(gather(w, 1, gi), {1, 0, 10, 10, 21, 21});
}

}  // namespace
}  // namespace lm
