// Op cases of the element-wise family (core/ops/elementwise.h), checked by
// tests/core/ops/op_cases_test.cpp. Inputs stay away from the functions' kinks and poles.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

OpCase unary_case(const std::string& name,
                  double lo,
                  double hi,
                  testing::TensorFn fn,
                  testing::TensorFn reference = nullptr) {
    return testing::op_case(
        "elementwise", name,
        [=](DType t) {
            return std::vector<Tensor>{case_input(t, {3, 17}, 31, lo, hi, true)};
        },
        std::move(fn), std::move(reference));
}

OpCase binary_case(const std::string& name,
                   const Shape& a,
                   const Shape& b,
                   double lo,
                   double hi,
                   testing::TensorFn fn) {
    return testing::op_case(
        "elementwise", name,
        [=](DType t) {
            return std::vector<Tensor>{case_input(t, a, 32, lo, hi), case_input(t, b, 33, lo, hi)};
        },
        std::move(fn));
}

LM_OP_CASES(elementwise) {
    return {
        unary_case("exp", -2, 2, [](const auto& in) { return exp(in[0]); }),
        unary_case("log", 0.2, 3, [](const auto& in) { return log(in[0]); }),
        unary_case(
            "tanh", -2, 2, [](const auto& in) { return tanh(in[0]); },
            [](const auto& in) { return 2.0 * sigmoid(2.0 * in[0]) - 1.0; }),
        unary_case(
            "sigmoid", -3, 3, [](const auto& in) { return sigmoid(in[0]); },
            [](const auto& in) { return reciprocal(1.0 + exp(-in[0])); }),
        unary_case("gelu erf", -3, 3, [](const auto& in) { return gelu(in[0]); }),
        unary_case("gelu tanh", -3, 3,
                   [](const auto& in) { return gelu(in[0], GeluApprox::Tanh); }),
        unary_case(
            "softplus", -3, 3, [](const auto& in) { return softplus(in[0]); },
            [](const auto& in) { return log1p(exp(in[0])); }),
        unary_case("elu", 0.1, 2, [](const auto& in) { return elu(in[0], 0.7); }),
        unary_case(
            "sqrt and rsqrt", 0.2, 3, [](const auto& in) { return sqrt(in[0]) + rsqrt(in[0]); },
            [](const auto& in) { return pow(in[0], 0.5) + pow(in[0], -0.5); }),
        unary_case("square, expm1, affine", -1, 1,
                   [](const auto& in) { return affine(square(in[0]), 2.0, 0.5) + expm1(in[0]); }),
        binary_case("add, broadcast rows", {4, 5}, {5}, -1, 1,
                    [](const auto& in) { return in[0] + in[1]; }),
        binary_case("mul, broadcast columns", {4, 5}, {4, 1}, -1, 1,
                    [](const auto& in) { return in[0] * in[1]; }),
        binary_case("div", {2, 3, 4}, {2, 3, 4}, 0.5, 2,
                    [](const auto& in) { return in[0] / in[1]; }),
        binary_case("pow of positive bases", {3, 4}, {3, 4}, 0.5, 2,
                    [](const auto& in) { return pow(in[0], in[1]); }),
    };
}

}  // namespace
}  // namespace lm
