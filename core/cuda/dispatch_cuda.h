// Host-side dispatch of the CUDA launchers: runtime op and dtype to template arguments.
#pragma once

#include <cstdint>
#include <type_traits>

#include "core/base/check.h"
#include "core/kernels/elementwise.h"
#include "core/kernels/index.h"
#include "core/kernels/op_switch.h"
#include "core/tensor/dtype.h"

namespace lm::cuda {

using kernels::integer_unary;
using kernels::switch_binary;
using kernels::switch_unary;

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
