// Element-wise math: forward y = f(x) and backward dx = dy * f'(x) for each unary op, and the
// binary ops. One definition serves the CPU loops and the CUDA kernels.
//
// Unary parameters (a, b): Pow y = x^a; Affine y = a*x + b; Elu alpha = a;
// Softplus beta = a, threshold = b (linear above it); Clamp to [a, b]; LeakyRelu slope = a.
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"

namespace lm::kernels {

enum class UnaryOp : uint8_t {
    Neg,
    Exp,
    Log,
    Sqrt,
    Rsqrt,
    Tanh,
    Sigmoid,
    Relu,
    GeluTanh,
    GeluErf,
    Elu,
    Softplus,
    Abs,
    Square,
    Reciprocal,
    Pow,
    Affine,
    Clamp,
    Sign,
    LeakyRelu,
    Log1p,
    Expm1,
};

// What the backward of each op reads: the input x, the output y, or neither.
LM_HD constexpr bool unary_grad_needs_input(UnaryOp op) {
    switch (op) {
        case UnaryOp::Log:
        case UnaryOp::GeluTanh:
        case UnaryOp::GeluErf:
        case UnaryOp::Elu:
        case UnaryOp::Softplus:
        case UnaryOp::Abs:
        case UnaryOp::Square:
        case UnaryOp::Pow:
        case UnaryOp::Clamp:
        case UnaryOp::LeakyRelu:
        case UnaryOp::Log1p:
            return true;
        default:
            return false;
    }
}
LM_HD constexpr bool unary_grad_needs_output(UnaryOp op) {
    switch (op) {
        case UnaryOp::Exp:
        case UnaryOp::Sqrt:
        case UnaryOp::Rsqrt:
        case UnaryOp::Tanh:
        case UnaryOp::Sigmoid:
        case UnaryOp::Relu:
        case UnaryOp::Reciprocal:
        case UnaryOp::Elu:
        case UnaryOp::Expm1:
            return true;
        default:
            return false;
    }
}

inline constexpr double kSqrt2OverPi = 0.79788456080286535588;  // sqrt(2/pi)
inline constexpr double kInvSqrt2 = 0.70710678118654752440;
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
inline constexpr double kGeluCubic = 0.044715;

template <UnaryOp OP, class T>
LM_HD T unary_forward(T x, T a, T b) {
    if constexpr (OP == UnaryOp::Neg) return -x;
    if constexpr (OP == UnaryOp::Exp) return hd_exp(x);
    if constexpr (OP == UnaryOp::Log) return hd_log(x);
    if constexpr (OP == UnaryOp::Sqrt) return hd_sqrt(x);
    if constexpr (OP == UnaryOp::Rsqrt) return T(1) / hd_sqrt(x);
    if constexpr (OP == UnaryOp::Tanh) return hd_tanh(x);
    if constexpr (OP == UnaryOp::Sigmoid) return T(1) / (T(1) + hd_exp(-x));
    if constexpr (OP == UnaryOp::Relu) return x < T(0) ? T(0) : x;  // NaN stays NaN, as in torch
    if constexpr (OP == UnaryOp::GeluTanh) {  // 0.5 x (1 + tanh(k (x + 0.044715 x^3)))
        const T inner = T(kSqrt2OverPi) * (x + T(kGeluCubic) * x * x * x);
        return T(0.5) * x * (T(1) + hd_tanh(inner));
    }
    if constexpr (OP == UnaryOp::GeluErf) return T(0.5) * x * (T(1) + hd_erf(x * T(kInvSqrt2)));
    if constexpr (OP == UnaryOp::Elu) return x > T(0) ? x : a * (hd_exp(x) - T(1));
    if constexpr (OP == UnaryOp::Softplus) {  // log(1 + e^{beta x}) / beta, linear above b
        const T bx = a * x;
        return bx > b ? x : hd_log1p(hd_exp(bx)) / a;
    }
    if constexpr (OP == UnaryOp::Abs) return x < T(0) ? -x : x;
    if constexpr (OP == UnaryOp::Square) return x * x;
    if constexpr (OP == UnaryOp::Reciprocal) return T(1) / x;
    if constexpr (OP == UnaryOp::Pow) return hd_pow(x, a);
    if constexpr (OP == UnaryOp::Affine) return a * x + b;
    if constexpr (OP == UnaryOp::Clamp) return x < a ? a : (x > b ? b : x);
    if constexpr (OP == UnaryOp::Sign) return T((x > T(0)) - (x < T(0)));
    if constexpr (OP == UnaryOp::LeakyRelu) return x > T(0) ? x : a * x;
    if constexpr (OP == UnaryOp::Log1p) return hd_log1p(x);
    if constexpr (OP == UnaryOp::Expm1) return hd_expm1(x);
}

// dx for upstream dy; x and y are the saved input and output (only those the op needs).
template <UnaryOp OP, class T>
LM_HD T unary_backward(T x, T y, T dy, T a, T b) {
    if constexpr (OP == UnaryOp::Neg) return -dy;                         // dx = -dy
    if constexpr (OP == UnaryOp::Exp) return dy * y;                      // dx = dy e^x
    if constexpr (OP == UnaryOp::Log) return dy / x;                      // dx = dy / x
    if constexpr (OP == UnaryOp::Sqrt) return dy / (T(2) * y);            // dx = dy / (2 sqrt x)
    if constexpr (OP == UnaryOp::Rsqrt) return T(-0.5) * dy * y * y * y;  // dx = -dy x^-3/2 / 2
    if constexpr (OP == UnaryOp::Tanh) return dy * (T(1) - y * y);        // dx = dy (1 - y^2)
    if constexpr (OP == UnaryOp::Sigmoid) return dy * y * (T(1) - y);     // dx = dy y (1 - y)
    if constexpr (OP == UnaryOp::Relu) return y > T(0) ? dy : T(0);       // dx = dy [x > 0]
    if constexpr (OP == UnaryOp::GeluTanh) {
        // dx = dy (0.5 (1 + t) + 0.5 x (1 - t^2) k (1 + 3 c x^2)), t = tanh(k (x + c x^3))
        const T x2 = x * x;
        const T t = hd_tanh(T(kSqrt2OverPi) * (x + T(kGeluCubic) * x2 * x));
        const T dinner = T(kSqrt2OverPi) * (T(1) + T(3 * kGeluCubic) * x2);
        return dy * (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * dinner);
    }
    if constexpr (OP == UnaryOp::GeluErf) {
        // dx = dy (Phi(x) + x phi(x)), Phi = normal cdf, phi = normal pdf
        const T cdf = T(0.5) * (T(1) + hd_erf(x * T(kInvSqrt2)));
        const T pdf = T(kInvSqrt2Pi) * hd_exp(T(-0.5) * x * x);
        return dy * (cdf + x * pdf);
    }
    if constexpr (OP == UnaryOp::Elu) return x > T(0) ? dy : dy * (y + a);  // dx = dy a e^x below 0
    if constexpr (OP == UnaryOp::Softplus) {  // dx = dy sigmoid(beta x)
        const T bx = a * x;
        return bx > b ? dy : dy / (T(1) + hd_exp(-bx));
    }
    if constexpr (OP == UnaryOp::Abs) return x > T(0) ? dy : (x < T(0) ? -dy : T(0));
    if constexpr (OP == UnaryOp::Square) return T(2) * x * dy;
    if constexpr (OP == UnaryOp::Reciprocal) return -dy * y * y;            // dx = -dy / x^2
    if constexpr (OP == UnaryOp::Pow) return dy * a * hd_pow(x, a - T(1));  // dx = dy a x^(a-1)
    if constexpr (OP == UnaryOp::Affine) return a * dy;
    if constexpr (OP == UnaryOp::Clamp) return (x < a || x > b) ? T(0) : dy;
    if constexpr (OP == UnaryOp::Sign) return T(0);
    if constexpr (OP == UnaryOp::LeakyRelu) return x > T(0) ? dy : a * dy;
    if constexpr (OP == UnaryOp::Log1p) return dy / (T(1) + x);
    if constexpr (OP == UnaryOp::Expm1) return dy * (y + T(1));
}

enum class BinaryOp : uint8_t {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Maximum,
    Minimum,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,  // comparisons produce bool
};

LM_HD constexpr bool is_comparison(BinaryOp op) {
    return op >= BinaryOp::Eq;
}

template <BinaryOp OP, class T>
LM_HD T binary_forward(T a, T b) {
    if constexpr (OP == BinaryOp::Add) return a + b;
    if constexpr (OP == BinaryOp::Sub) return a - b;
    if constexpr (OP == BinaryOp::Mul) return a * b;
    if constexpr (OP == BinaryOp::Div) return a / b;
    if constexpr (OP == BinaryOp::Pow) return hd_pow(a, b);
    if constexpr (OP == BinaryOp::Maximum) return a > b ? a : (a != a ? a : b);  // NaN propagates
    if constexpr (OP == BinaryOp::Minimum) return a < b ? a : (a != a ? a : b);
}

template <BinaryOp OP, class T>
LM_HD bool compare(T a, T b) {
    if constexpr (OP == BinaryOp::Eq) return a == b;
    if constexpr (OP == BinaryOp::Ne) return a != b;
    if constexpr (OP == BinaryOp::Lt) return a < b;
    if constexpr (OP == BinaryOp::Le) return a <= b;
    if constexpr (OP == BinaryOp::Gt) return a > b;
    if constexpr (OP == BinaryOp::Ge) return a >= b;
    return false;
}

}  // namespace lm::kernels
