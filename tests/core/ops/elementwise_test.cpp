// Finite-difference gradient checks (float64) of the element-wise functions: every unary op on
// contiguous and non-contiguous inputs, broadcasting binary ops, the scalar operators with the
// double on either side, and where / masked_fill.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::away_from_kinks;
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

}  // namespace
}  // namespace lm
