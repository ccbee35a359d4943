// The element-wise family (core/ops/elementwise.h): finite-difference gradient checks (float64)
// of every unary op on contiguous and non-contiguous inputs, broadcasting binary ops, the scalar
// operators with the double on either side, and where / masked_fill; then forward values of the
// comparisons, logical_not, where and the unary functions against plain double formulas
// (gradient checks only prove a backward matches its forward, these prove the forward).
#include <gtest/gtest.h>

#include <cmath>

#include <string>
#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::as_int;
using testing::away_from_kinks;
using testing::expect_values;
using testing::gradcheck;
using testing::leaf;
using testing::make_leaf;

// ---- unary ops: one case per function, checked on a contiguous [3, 5] and a transposed [4, 3]

struct UnaryCase {
    std::string name;
    std::function<Tensor(const Tensor&)> fn;
    double lo = -1.0, hi = 1.0;
    std::vector<double> kinks = {};  // points where fn is not differentiable
};

std::vector<UnaryCase> unary_cases() {
    return {
        {"neg", [](const Tensor& x) { return neg(x); }},
        {"exp", [](const Tensor& x) { return exp(x); }},
        {"log", [](const Tensor& x) { return log(x); }, 0.2, 2.0},
        {"sqrt", [](const Tensor& x) { return sqrt(x); }, 0.2, 2.0},
        {"rsqrt", [](const Tensor& x) { return rsqrt(x); }, 0.2, 2.0},
        {"tanh", [](const Tensor& x) { return tanh(x); }, -2.0, 2.0},
        {"sigmoid", [](const Tensor& x) { return sigmoid(x); }, -3.0, 3.0},
        {"relu", [](const Tensor& x) { return relu(x); }, -1.0, 1.0, {0.0}},
        {"gelu_erf", [](const Tensor& x) { return gelu(x, GeluApprox::Erf); }, -3.0, 3.0},
        {"gelu_tanh", [](const Tensor& x) { return gelu(x, GeluApprox::Tanh); }, -3.0, 3.0},
        {"elu", [](const Tensor& x) { return elu(x, 1.3); }, -2.0, 2.0, {0.0}},
        {"softplus", [](const Tensor& x) { return softplus(x, 2.0); }, -3.0, 3.0},
        // beta 1, threshold 1: linear above x = 1 (a jump there, so keep away from it)
        {"softplus_threshold",
         [](const Tensor& x) { return softplus(x, 1.0, 1.0); },
         -2.0,
         2.0,
         {1.0}},
        {"leaky_relu", [](const Tensor& x) { return leaky_relu(x, 0.1); }, -1.0, 1.0, {0.0}},
        {"abs", [](const Tensor& x) { return abs(x); }, -1.0, 1.0, {0.0}},
        {"square", [](const Tensor& x) { return square(x); }},
        {"reciprocal", [](const Tensor& x) { return reciprocal(x); }, -2.0, 2.0, {0.0}},
        {"log1p", [](const Tensor& x) { return log1p(x); }, -0.5, 2.0},
        {"expm1", [](const Tensor& x) { return expm1(x); }},
        {"pow_2_5", [](const Tensor& x) { return pow(x, 2.5); }, 0.3, 2.0},
        {"pow_neg_1_5", [](const Tensor& x) { return pow(x, -1.5); }, 0.3, 2.0},
        {"pow_3_negative_base", [](const Tensor& x) { return pow(x, 3.0); }},
        {"clamp", [](const Tensor& x) { return clamp(x, -0.5, 0.4); }, -1.0, 1.0, {-0.5, 0.4}},
        {"sign", [](const Tensor& x) { return sign(x) * x; }, -1.0, 1.0, {0.0}},
        {"affine", [](const Tensor& x) { return affine(x, -1.5, 0.25); }},
    };
}

void PrintTo(const UnaryCase& c, std::ostream* os) {
    *os << c.name;
}

class GradcheckUnary : public ::testing::TestWithParam<UnaryCase> {};

TEST_P(GradcheckUnary, Contiguous) {
    const UnaryCase& c = GetParam();
    const Tensor x = make_leaf(away_from_kinks({3, 5}, 11, c.kinks, 0.05, c.lo, c.hi));
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0]); }, {x}, {}, c.name);
}

TEST_P(GradcheckUnary, NonContiguous) {
    const UnaryCase& c = GetParam();
    const Tensor x = make_leaf(away_from_kinks({4, 3}, 12, c.kinks, 0.05, c.lo, c.hi), true);
    ASSERT_FALSE(x.is_contiguous());
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0]); }, {x}, {}, c.name);
}

INSTANTIATE_TEST_SUITE_P(Ops,
                         GradcheckUnary,
                         ::testing::ValuesIn(unary_cases()),
                         [](const auto& info) { return info.param.name; });

// ---- binary ops with broadcasting: [3, 1, 4] (op) [2, 1] -> [3, 2, 4], a transposed operand
// against a row, and a 0-d operand.

struct BinaryCase {
    std::string name;
    std::function<Tensor(const Tensor&, const Tensor&)> fn;
    double b_lo = -1.0, b_hi = 1.0;
    std::vector<double> b_kinks = {};
    double a_lo = -1.0, a_hi = 1.0;
};

std::vector<BinaryCase> binary_cases() {
    return {
        {"add", [](const Tensor& a, const Tensor& b) { return add(a, b); }},
        {"sub", [](const Tensor& a, const Tensor& b) { return sub(a, b); }},
        {"mul", [](const Tensor& a, const Tensor& b) { return mul(a, b); }},
        {"div", [](const Tensor& a, const Tensor& b) { return div(a, b); }, -2.0, 2.0, {0.0}},
        {"pow",
         [](const Tensor& a, const Tensor& b) { return pow(a, b); },
         -1.0,
         2.0,
         {},
         0.3,
         2.0},
        {"operator_add", [](const Tensor& a, const Tensor& b) { return a + b; }},
        {"operator_sub", [](const Tensor& a, const Tensor& b) { return a - b; }},
        {"operator_mul", [](const Tensor& a, const Tensor& b) { return a * b; }},
        {"operator_div", [](const Tensor& a, const Tensor& b) { return a / b; }, 0.5, 2.0},
    };
}

void PrintTo(const BinaryCase& c, std::ostream* os) {
    *os << c.name;
}

class GradcheckBinary : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(GradcheckBinary, Broadcast) {
    const BinaryCase& c = GetParam();
    const Tensor a = make_leaf(away_from_kinks({3, 1, 4}, 21, {}, 0, c.a_lo, c.a_hi));
    const Tensor b = make_leaf(away_from_kinks({2, 1}, 22, c.b_kinks, 0.2, c.b_lo, c.b_hi));
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0], in[1]); }, {a, b}, {},
              c.name);
}

TEST_P(GradcheckBinary, NonContiguousAgainstRow) {
    const BinaryCase& c = GetParam();
    const Tensor a = make_leaf(away_from_kinks({4, 3}, 23, {}, 0, c.a_lo, c.a_hi), true);
    const Tensor b = make_leaf(away_from_kinks({3}, 24, c.b_kinks, 0.2, c.b_lo, c.b_hi), true);
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0], in[1]); }, {a, b}, {},
              c.name);
    // and with the operands swapped, so the broadcast one is on the left
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[1], in[0]); },
              {make_leaf(away_from_kinks({4, 3}, 25, c.b_kinks, 0.2, c.b_lo, c.b_hi)),
               make_leaf(away_from_kinks({3}, 26, {}, 0, c.a_lo, c.a_hi))},
              {}, c.name + " swapped");
}

TEST_P(GradcheckBinary, ZeroDimOperand) {
    const BinaryCase& c = GetParam();
    const Tensor a = make_leaf(away_from_kinks({2, 3}, 27, {}, 0, c.a_lo, c.a_hi));
    const Tensor b = make_leaf(away_from_kinks({}, 28, c.b_kinks, 0.2, c.b_lo, c.b_hi));
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0], in[1]); }, {a, b}, {},
              c.name);
}

INSTANTIATE_TEST_SUITE_P(Ops,
                         GradcheckBinary,
                         ::testing::ValuesIn(binary_cases()),
                         [](const auto& info) { return info.param.name; });

// maximum / minimum: operands at least 0.1 apart so the winner never changes under eps.
TEST(GradcheckElementwise, MaximumMinimumBroadcast) {
    const Tensor a = make_leaf(away_from_kinks({3, 4}, 31, {}, 0));
    std::vector<double> bv = away_from_kinks({4}, 32, {0.0}, 0.1, -0.5, 0.5).to_vector<double>();
    // b[j] = a[0, j] + delta: row 0 is decided by delta, other rows by the random a
    const auto av = a.to_vector<double>();
    for (int j = 0; j < 4; ++j)
        bv[j] += av[j];
    const Tensor b = make_leaf(from_vector(bv, {4}, {DType::Float64}));
    for (int i = 0; i < 12; ++i)
        ASSERT_GT(std::fabs(av[i] - bv[i % 4]), 1e-3) << "tie at " << i;
    gradcheck([](const std::vector<Tensor>& in) { return maximum(in[0], in[1]); }, {a, b}, {},
              "maximum");
    gradcheck([](const std::vector<Tensor>& in) { return minimum(in[1], in[0]); }, {a, b}, {},
              "minimum");
    const Tensor an = make_leaf(a, true);
    gradcheck([](const std::vector<Tensor>& in) { return maximum(in[0], in[1]); }, {an, b}, {},
              "maximum non-contiguous");
}

TEST(GradcheckElementwise, MaximumTieSplitsGradient) {
    Tensor a = tensor({1.0, 2.0}, {DType::Float64}).requires_grad_();
    Tensor b = tensor({1.0, 3.0}, {DType::Float64}).requires_grad_();
    maximum(a, b).sum().backward();
    testing::expect_values(a.grad(), {0.5, 0.0});
    testing::expect_values(b.grad(), {0.5, 1.0});
}

// ---- scalar operators: the double on the right and on the left

TEST(GradcheckElementwise, ScalarOperators) {
    const Tensor x = make_leaf(away_from_kinks({2, 3}, 41, {0.0}, 0.2, -2.0, 2.0));
    const Tensor xn = make_leaf(away_from_kinks({3, 2}, 42, {0.0}, 0.2, -2.0, 2.0), true);
    const std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> ops = {
        {"x + s", [](const Tensor& t) { return t + 2.5; }},
        {"s + x", [](const Tensor& t) { return 2.5 + t; }},
        {"x - s", [](const Tensor& t) { return t - 2.5; }},
        {"s - x", [](const Tensor& t) { return 2.5 - t; }},
        {"x * s", [](const Tensor& t) { return t * -1.5; }},
        {"s * x", [](const Tensor& t) { return -1.5 * t; }},
        {"x / s", [](const Tensor& t) { return t / 4.0; }},
        {"s / x", [](const Tensor& t) { return 3.0 / t; }},
        {"-x", [](const Tensor& t) { return -t; }},
    };
    for (const auto& [name, f] : ops) {
        gradcheck([&f](const std::vector<Tensor>& in) { return f(in[0]) * in[0]; }, {x}, {}, name);
        gradcheck([&f](const std::vector<Tensor>& in) { return f(in[0]); }, {xn}, {}, name);
    }
}

// ---- where and masked_fill: the condition (and the fill value) broadcast

TEST(GradcheckElementwise, Where) {
    const Tensor cond = from_vector(std::vector<int32_t>{1, 0, 0, 1}, {4}, {DType::Bool});
    const Tensor a = leaf({3, 4}, 51), b = leaf({3, 1}, 52);
    gradcheck([cond](const std::vector<Tensor>& in) { return where(cond, in[0], in[1]); }, {a, b},
              {}, "where");
    const Tensor an = testing::noncontiguous_leaf({3, 4}, 53);
    gradcheck([cond](const std::vector<Tensor>& in) { return where(cond, in[0], in[0] * 3.0); },
              {an}, {}, "where same input");
}

TEST(GradcheckElementwise, MaskedFill) {
    const Tensor mask = gt(testing::random_tensor({2, 1, 4}, 54), zeros({}, {DType::Float64}));
    const Tensor x = leaf({2, 3, 4}, 55);
    gradcheck([mask](const std::vector<Tensor>& in) { return masked_fill(in[0], mask, -7.0); }, {x},
              {}, "masked_fill");
    const Tensor xn = testing::noncontiguous_leaf({4, 3}, 56);
    const Tensor m2 = lt(testing::random_tensor({4, 3}, 57), zeros({}, {DType::Float64}));
    gradcheck([m2](const std::vector<Tensor>& in) { return masked_fill(in[0], m2, 5.0); }, {xn}, {},
              "masked_fill non-contiguous");
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

}  // namespace
}  // namespace lm
