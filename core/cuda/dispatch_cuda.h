// Host-side dispatch of the CUDA launchers: runtime op and dtype to template arguments.
#pragma once

#include <cstdint>
#include <type_traits>

#include "core/base/check.h"
#include "core/base/dtype.h"
#include "core/kernels/elementwise.h"
#include "core/kernels/index.h"

namespace lm::cuda {

// Calls f(std::integral_constant<UnaryOp, OP>) for the runtime op.
template <class F>
void switch_unary(kernels::UnaryOp op, const F& f) {
    using kernels::UnaryOp;
#define LM_CASE(NAME)                                        \
    case UnaryOp::NAME:                                      \
        f(std::integral_constant<UnaryOp, UnaryOp::NAME>{}); \
        return;
    switch (op) {
        LM_CASE(Neg)
        LM_CASE(Exp) LM_CASE(Log) LM_CASE(Sqrt) LM_CASE(Rsqrt) LM_CASE(Tanh) LM_CASE(Sigmoid)
            LM_CASE(Relu) LM_CASE(GeluTanh) LM_CASE(GeluErf) LM_CASE(Elu) LM_CASE(Softplus)
                LM_CASE(Abs) LM_CASE(Square) LM_CASE(Reciprocal) LM_CASE(Pow) LM_CASE(Affine)
                    LM_CASE(Clamp) LM_CASE(Sign) LM_CASE(LeakyRelu) LM_CASE(Log1p) LM_CASE(Expm1)
    }
#undef LM_CASE
}

template <class F>
void switch_binary(kernels::BinaryOp op, const F& f) {
    using kernels::BinaryOp;
#define LM_CASE(NAME)                                          \
    case BinaryOp::NAME:                                       \
        f(std::integral_constant<BinaryOp, BinaryOp::NAME>{}); \
        return;
    switch (op) {
        LM_CASE(Add)
        LM_CASE(Sub) LM_CASE(Mul) LM_CASE(Div) LM_CASE(Pow) LM_CASE(Maximum) LM_CASE(Minimum)
            LM_CASE(Eq) LM_CASE(Ne) LM_CASE(Lt) LM_CASE(Le) LM_CASE(Gt) LM_CASE(Ge)
    }
#undef LM_CASE
}

// The unary ops defined on integers (as on the CPU).
constexpr bool integer_unary(kernels::UnaryOp op) {
    using kernels::UnaryOp;
    return op == UnaryOp::Neg || op == UnaryOp::Abs || op == UnaryOp::Sign ||
           op == UnaryOp::Square || op == UnaryOp::Affine || op == UnaryOp::Clamp ||
           op == UnaryOp::Relu;
}

// float32, float64, bfloat16, float16 (16-bit types compute in float).
template <class F>
void dispatch_gpu_floating(DType t, const char* op, const F& f) {
    switch (t) {
        case DType::Float32:
            f(float{});
            return;
        case DType::Float64:
            f(double{});
            return;
        case DType::BFloat16:
            f(bf16_t{});
            return;
        case DType::Float16:
            f(f16_t{});
            return;
        default:
            LM_CHECK(false, op, ": expected a floating tensor, got ", dtype_name(t));
    }
}

// float32, float64 (cores that run in full precision).
template <class F>
void dispatch_gpu_full(DType t, const char* op, const F& f) {
    switch (t) {
        case DType::Float32:
            f(float{});
            return;
        case DType::Float64:
            f(double{});
            return;
        default:
            LM_CHECK(false, op, ": expected a float32 or float64 tensor, got ", dtype_name(t));
    }
}

// An unsigned integer type of the element size, for kernels that only move bits.
template <class F>
void dispatch_bits(size_t size, const F& f) {
    switch (size) {
        case 1:
            f(uint8_t{});
            return;
        case 2:
            f(uint16_t{});
            return;
        case 4:
            f(uint32_t{});
            return;
        case 8:
            f(uint64_t{});
            return;
        default:
            LM_ASSERT(false, "element size ", size);
    }
}

// Whether every operand of a plan is one dense run (the kernels then skip the index math).
template <int N>
bool plan_is_dense(const kernels::ElementwisePlan<N>& p, const int64_t* elem_sizes) {
    if (p.ndim != 1) return false;
    for (int a = 0; a < N; ++a) {
        if (p.strides[a][0] != elem_sizes[a]) return false;
    }
    return true;
}

}  // namespace lm::cuda
