// Runtime element-wise op -> compile-time template argument, shared by the CPU and CUDA
// launchers: f(std::integral_constant<Op, OP>{}) for the op given at run time.
#pragma once

#include <type_traits>

#include "core/kernels/elementwise.h"

namespace lm::kernels {

template <class F>
void switch_unary(UnaryOp op, const F& f) {
#define LM_CASE(NAME)                                        \
    case UnaryOp::NAME:                                      \
        f(std::integral_constant<UnaryOp, UnaryOp::NAME>{}); \
        return;
    // clang-format off
    switch (op) {
        LM_CASE(Neg) LM_CASE(Exp) LM_CASE(Log) LM_CASE(Sqrt) LM_CASE(Rsqrt) LM_CASE(Tanh)
        LM_CASE(Sigmoid) LM_CASE(Relu) LM_CASE(GeluTanh) LM_CASE(GeluErf) LM_CASE(Elu)
        LM_CASE(Softplus) LM_CASE(Abs) LM_CASE(Square) LM_CASE(Reciprocal) LM_CASE(Pow)
        LM_CASE(Affine) LM_CASE(Clamp) LM_CASE(Sign) LM_CASE(LeakyRelu) LM_CASE(Log1p)
        LM_CASE(Expm1)
    }
    // clang-format on
#undef LM_CASE
}

template <class F>
void switch_binary(BinaryOp op, const F& f) {
#define LM_CASE(NAME)                                          \
    case BinaryOp::NAME:                                       \
        f(std::integral_constant<BinaryOp, BinaryOp::NAME>{}); \
        return;
    // clang-format off
    switch (op) {
        LM_CASE(Add) LM_CASE(Sub) LM_CASE(Mul) LM_CASE(Div) LM_CASE(Pow) LM_CASE(Maximum)
        LM_CASE(Minimum) LM_CASE(Eq) LM_CASE(Ne) LM_CASE(Lt) LM_CASE(Le) LM_CASE(Gt) LM_CASE(Ge)
    }
    // clang-format on
#undef LM_CASE
}

// The unary ops also defined on integer tensors (on every device).
constexpr bool integer_unary(UnaryOp op) {
    return op == UnaryOp::Neg || op == UnaryOp::Abs || op == UnaryOp::Sign ||
           op == UnaryOp::Square || op == UnaryOp::Affine || op == UnaryOp::Clamp ||
           op == UnaryOp::Relu;
}

}  // namespace lm::kernels
