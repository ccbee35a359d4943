// CUDA launchers of the unary element-wise ops and their backward: one thread per element in a
// grid-stride loop calling the functors of kernels/elementwise.h, the same math as the CPU loops
// of ops/elementwise_cpu.cpp. Strided operands go through ElementwisePlan::offset; dense ones
// index directly. 16-bit storage is converted to float around the functor.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/elementwise.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise_backend.h"

namespace lm::cuda {

using kernels::UnaryOp;

namespace {

template <class T>
__device__ __forceinline__ T& at(char* base, int64_t offset) {
    return *reinterpret_cast<T*>(base + offset);
}

// ---- CUDA kernels

template <UnaryOp OP, class S>
__global__ void unary_kernel(kernels::ElementwisePlan<2> plan,
                             bool dense,
                             char* out,
                             const char* x,
                             Compute<S> a,
                             Compute<S> b) {
    using C = Compute<S>;
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        const int64_t oo = dense ? i * int64_t(sizeof(S)) : plan.offset(0, i);
        const int64_t xo = dense ? i * int64_t(sizeof(S)) : plan.offset(1, i);
        const C v = kernels::convert<C, S>(at<S>(const_cast<char*>(x), xo));
        at<S>(out, oo) = kernels::convert<S, C>(kernels::unary_forward<OP, C>(v, a, b));
    }
}

// Operands: dx, x, y, dy (x or y replaced by dy when the op does not read it).
template <UnaryOp OP, class S>
__global__ void unary_backward_kernel(kernels::ElementwisePlan<4> plan,
                                      bool dense,
                                      char* dx,
                                      const char* x,
                                      const char* y,
                                      const char* dy,
                                      Compute<S> a,
                                      Compute<S> b) {
    using C = Compute<S>;
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        int64_t off[4];
        for (int k = 0; k < 4; ++k)
            off[k] = dense ? i * int64_t(sizeof(S)) : plan.offset(k, i);
        const C xv = kernels::convert<C, S>(at<S>(const_cast<char*>(x), off[1]));
        const C yv = kernels::convert<C, S>(at<S>(const_cast<char*>(y), off[2]));
        const C g = kernels::convert<C, S>(at<S>(const_cast<char*>(dy), off[3]));
        at<S>(dx, off[0]) = kernels::convert<S, C>(kernels::unary_backward<OP, C>(xv, yv, g, a, b));
    }
}

// ---- launchers

template <UnaryOp OP, class S>
void launch_unary(const Tensor& out, const Tensor& x, double a, double b) {
    const auto plan = make_plan<2>(out.shape(), {&out, &x});
    if (plan.numel == 0) return;
    const int64_t es[2] = {sizeof(S), sizeof(S)};
    const DeviceScope scope(out.device());
    const LaunchDims d = linear_launch(plan.numel);
    unary_kernel<OP, S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
        plan, plan_is_dense(plan, es), ptr<char>(out), ptr<const char>(x),
        static_cast<Compute<S>>(a), static_cast<Compute<S>>(b));
    LM_CUDA_CHECK(cudaGetLastError());
}

template <UnaryOp OP, class S>
void launch_unary_backward(
    const Tensor& dx, const Tensor& x, const Tensor& y, const Tensor& dy, double a, double b) {
    const Tensor& xs = x.defined() ? x : dy;
    const Tensor& ys = y.defined() ? y : dy;
    const auto plan = make_plan<4>(dx.shape(), {&dx, &xs, &ys, &dy});
    if (plan.numel == 0) return;
    const int64_t es[4] = {sizeof(S), sizeof(S), sizeof(S), sizeof(S)};
    const DeviceScope scope(dx.device());
    const LaunchDims d = linear_launch(plan.numel);
    unary_backward_kernel<OP, S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
        plan, plan_is_dense(plan, es), ptr<char>(dx), ptr<const char>(xs), ptr<const char>(ys),
        ptr<const char>(dy), static_cast<Compute<S>>(a), static_cast<Compute<S>>(b));
    LM_CUDA_CHECK(cudaGetLastError());
}

template <class T>
void unary_integer(UnaryOp op, const Tensor& out, const Tensor& x, double a, double b) {
    LM_CHECK(integer_unary(op), "this element-wise function needs a floating tensor, got ",
             dtype_name(x.dtype()));
    switch_unary(op, [&](auto c) {
        constexpr UnaryOp OP = decltype(c)::value;
        if constexpr (integer_unary(OP)) launch_unary<OP, T>(out, x, a, b);
    });
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& x, double a, double b) {
    if (x.dtype() == DType::Int32) return unary_integer<int32_t>(op, out, x, a, b);
    if (x.dtype() == DType::Int64) return unary_integer<int64_t>(op, out, x, a, b);
    dispatch_gpu_floating(x.dtype(), "unary op", [&](auto tag) {
        using S = decltype(tag);
        switch_unary(op, [&](auto c) { launch_unary<decltype(c)::value, S>(out, x, a, b); });
    });
}

void unary_backward(UnaryOp op,
                    const Tensor& dx,
                    const Tensor& x,
                    const Tensor& y,
                    const Tensor& dy,
                    double a,
                    double b) {
    dispatch_gpu_floating(dy.dtype(), "unary backward", [&](auto tag) {
        using S = decltype(tag);
        switch_unary(
            op, [&](auto c) { launch_unary_backward<decltype(c)::value, S>(dx, x, y, dy, a, b); });
    });
}

}  // namespace lm::cuda
