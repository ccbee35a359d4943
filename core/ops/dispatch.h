// Device and dtype dispatch for ops. An op's .cpp checks its arguments, allocates outputs and
// calls the backend kernel `cpu::name(...)` or `cuda::name(...)`: the only place an op needs to
// know whether the CUDA backend was built.
#pragma once

#include <array>

#include "core/base/check.h"
#include "core/kernels/index.h"
#include "core/tensor/dtype.h"
#include "core/tensor/tensor.h"

namespace lm::detail {
[[noreturn]] void throw_no_cuda(const char* op);
// Typed stand-in for the CUDA branch of LM_DISPATCH_DEVICE in builds without CUDA.
template <class T>
T no_cuda(const char* op) {
    throw_no_cuda(op);
}
}  // namespace lm::detail

#ifdef LANDMARK_WITH_CUDA
#define LM_DISPATCH_DEVICE(device, NAME, ...) \
    ((device).is_cuda() ? ::lm::cuda::NAME(__VA_ARGS__) : ::lm::cpu::NAME(__VA_ARGS__))
#else
#define LM_DISPATCH_DEVICE(device, NAME, ...)                                                  \
    ((device).is_cuda() ? ::lm::detail::no_cuda<decltype(::lm::cpu::NAME(__VA_ARGS__))>(#NAME) \
                        : ::lm::cpu::NAME(__VA_ARGS__))
#endif

namespace lm {

// Calls f(T{}) with T = float or double; other dtypes are an error naming the op.
template <class F>
void dispatch_floating(DType t, const char* op, const F& f) {
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

// float, double, int32, int64.
template <class F>
void dispatch_numeric(DType t, const char* op, const F& f) {
    switch (t) {
        case DType::Float32:
            f(float{});
            return;
        case DType::Float64:
            f(double{});
            return;
        case DType::Int32:
            f(int32_t{});
            return;
        case DType::Int64:
            f(int64_t{});
            return;
        default:
            LM_CHECK(false, op, ": expected a float32, float64, int32 or int64 tensor, got ",
                     dtype_name(t));
    }
}

// Every dtype, the 16-bit ones included (copies and casts).
template <class F>
void dispatch_all(DType t, const F& f) {
    switch (t) {
        case DType::Float32:
            f(float{});
            return;
        case DType::Float64:
            f(double{});
            return;
        case DType::Int32:
            f(int32_t{});
            return;
        case DType::Int64:
            f(int64_t{});
            return;
        case DType::Bool:
            f(bool{});
            return;
        case DType::BFloat16:
            f(bf16_t{});
            return;
        case DType::Float16:
            f(f16_t{});
            return;
    }
}

// Element strides of `t` seen as a tensor of the (broadcast) `shape`: 0 on broadcast dims.
Strides broadcast_strides(const Tensor& t, const Shape& shape);

// Plan over `shape` for tensors already broadcastable to it.
template <int N>
kernels::ElementwisePlan<N> make_plan(const Shape& shape, const std::array<const Tensor*, N>& ts) {
    std::array<Strides, N> st;
    std::array<const int64_t*, N> ptrs;
    std::array<int64_t, N> esize;
    for (int a = 0; a < N; ++a) {
        st[a] = broadcast_strides(*ts[a], shape);
        ptrs[a] = st[a].data();
        esize[a] = static_cast<int64_t>(dtype_size(ts[a]->dtype()));
    }
    return kernels::make_plan<N>(shape.size(), shape.data(), ptrs.data(), esize.data());
}

}  // namespace lm
