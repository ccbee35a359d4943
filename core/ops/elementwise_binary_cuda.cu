// CUDA launchers of the binary element-wise ops, where, fill and copy (casts, strided copies and
// host <-> device transfers). Same functors as ops/elementwise_cpu.cpp; kernels that only move
// bits (where, fill, same-dtype strided copies) are instantiated per element size, not per dtype.
#include <cstring>
#include <type_traits>

#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/elementwise.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise_backend.h"

namespace lm::cuda {

using kernels::BinaryOp;

namespace {

template <class T>
__device__ __forceinline__ T& at(char* base, int64_t offset) {
    return *reinterpret_cast<T*>(base + offset);
}

template <int N>
__device__ __forceinline__ void offsets(const kernels::ElementwisePlan<N>& p,
                                        bool dense,
                                        const int64_t* esize,
                                        int64_t i,
                                        int64_t* off) {
    for (int k = 0; k < N; ++k)
        off[k] = dense ? i * esize[k] : p.offset(k, i);
}

// ---- CUDA kernels

// Out is bool for comparisons, else S; the math runs in Compute<S>.
template <BinaryOp OP, class S>
__global__ void binary_kernel(
    kernels::ElementwisePlan<3> plan, bool dense, char* out, const char* a, const char* b) {
    using C = Compute<S>;
    using Out = std::conditional_t<kernels::is_comparison(OP), bool, S>;
    const int64_t es[3] = {sizeof(Out), sizeof(S), sizeof(S)};
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        int64_t off[3];
        offsets(plan, dense, es, i, off);
        const C x = kernels::convert<C, S>(at<S>(const_cast<char*>(a), off[1]));
        const C y = kernels::convert<C, S>(at<S>(const_cast<char*>(b), off[2]));
        if constexpr (kernels::is_comparison(OP)) {
            at<bool>(out, off[0]) = kernels::compare<OP, C>(x, y);
        } else {
            at<S>(out, off[0]) = kernels::convert<S, C>(kernels::binary_forward<OP, C>(x, y));
        }
    }
}

// Operands: out, cond, a, b; U is an unsigned type of the element size.
template <class U>
__global__ void where_kernel(
    kernels::ElementwisePlan<4> plan, char* out, const char* cond, const char* a, const char* b) {
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        const bool c = at<bool>(const_cast<char*>(cond), plan.offset(1, i));
        at<U>(out, plan.offset(0, i)) = c ? at<U>(const_cast<char*>(a), plan.offset(2, i))
                                          : at<U>(const_cast<char*>(b), plan.offset(3, i));
    }
}

template <class U>
__global__ void fill_kernel(kernels::ElementwisePlan<1> plan, char* dst, U bits) {
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        at<U>(dst, plan.offset(0, i)) = bits;
    }
}

template <class D, class S>
__global__ void copy_kernel(kernels::ElementwisePlan<2> plan,
                            bool dense,
                            char* dst,
                            const char* src) {
    const int64_t es[2] = {sizeof(D), sizeof(S)};
    LM_GRID_STRIDE_LOOP(i, plan.numel) {
        int64_t off[2];
        offsets(plan, dense, es, i, off);
        at<D>(dst, off[0]) = kernels::convert<D, S>(at<S>(const_cast<char*>(src), off[1]));
    }
}

// ---- launchers

template <BinaryOp OP, class S>
void launch_binary(const Tensor& out, const Tensor& a, const Tensor& b) {
    const auto plan = make_plan<3>(out.shape(), {&out, &a, &b});
    if (plan.numel == 0) return;
    const int64_t es[3] = {static_cast<int64_t>(dtype_size(out.dtype())), sizeof(S), sizeof(S)};
    const DeviceScope scope(out.device());
    const LaunchDims d = linear_launch(plan.numel);
    binary_kernel<OP, S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
        plan, plan_is_dense(plan, es), ptr<char>(out), ptr<const char>(a), ptr<const char>(b));
    LM_CUDA_CHECK(cudaGetLastError());
}

template <class D, class S>
void launch_copy(const Tensor& dst, const Tensor& src) {
    const auto plan = make_plan<2>(dst.shape(), {&dst, &src});
    if (plan.numel == 0) return;
    const int64_t es[2] = {sizeof(D), sizeof(S)};
    const DeviceScope scope(dst.device());
    const LaunchDims d = linear_launch(plan.numel);
    copy_kernel<D, S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
        plan, plan_is_dense(plan, es), ptr<char>(dst), ptr<const char>(src));
    LM_CUDA_CHECK(cudaGetLastError());
}

// Contiguous same-dtype tensors on different devices (ops::copy_into checked and cast them).
void copy_between_devices(const Tensor& dst, const Tensor& src) {
    LM_CHECK(dst.is_contiguous() && src.is_contiguous() && dst.dtype() == src.dtype() &&
                 dst.numel() == src.numel(),
             "copy between devices needs contiguous tensors of one dtype and size, got ", src.str(),
             " -> ", dst.str());
    const size_t n = dst.nbytes();
    if (n == 0) return;
    if (dst.device().is_cuda() && src.device().is_cuda()) {  // peer copy between two GPUs
        synchronize(src.device().index);
        synchronize(dst.device().index);
        LM_CUDA_CHECK(cudaMemcpyPeer(dst.raw_data(), dst.device().index, src.raw_data(),
                                     src.device().index, n));
        return;
    }
    const Device gpu = dst.device().is_cuda() ? dst.device() : src.device();
    const DeviceScope scope(gpu);
    const cudaMemcpyKind kind =
        dst.device().is_cuda() ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost;
    LM_CUDA_CHECK(cudaMemcpyAsync(dst.raw_data(), src.raw_data(), n, kind, scope.stream()));
    // Host memory is pageable and may be freed or read as soon as we return.
    LM_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
}

}  // namespace

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
    if (a.dtype() == DType::Bool) {  // masks: equality only
        LM_CHECK(op == BinaryOp::Eq || op == BinaryOp::Ne, "bool tensors support only eq and ne");
        if (op == BinaryOp::Eq)
            launch_binary<BinaryOp::Eq, bool>(out, a, b);
        else
            launch_binary<BinaryOp::Ne, bool>(out, a, b);
        return;
    }
    auto run = [&](auto tag) {
        using S = decltype(tag);
        switch_binary(op, [&](auto c) {
            constexpr BinaryOp OP = decltype(c)::value;
            if constexpr (OP == BinaryOp::Pow && std::is_integral_v<S>) {
                LM_CHECK(false, "pow needs floating tensors, got ", dtype_name(a.dtype()));
            } else {
                launch_binary<OP, S>(out, a, b);
            }
        });
    };
    if (a.dtype() == DType::Int32) return run(int32_t{});
    if (a.dtype() == DType::Int64) return run(int64_t{});
    dispatch_gpu_floating(a.dtype(), "binary op", run);
}

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
    const auto plan = make_plan<4>(out.shape(), {&out, &cond, &a, &b});
    if (plan.numel == 0) return;
    const DeviceScope scope(out.device());
    dispatch_bits(dtype_size(a.dtype()), [&](auto tag) {
        const LaunchDims d = linear_launch(plan.numel);
        where_kernel<decltype(tag)><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            plan, ptr<char>(out), ptr<const char>(cond), ptr<const char>(a), ptr<const char>(b));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void copy(const Tensor& dst, const Tensor& src) {
    if (dst.device() != src.device()) return copy_between_devices(dst, src);
    if (dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous() &&
        dst.shape() == src.shape()) {
        if (dst.nbytes() == 0 || dst.raw_data() == src.raw_data()) return;
        const DeviceScope scope(dst.device());
        LM_CUDA_CHECK(cudaMemcpyAsync(dst.raw_data(), src.raw_data(), dst.nbytes(),
                                      cudaMemcpyDeviceToDevice, scope.stream()));
        return;
    }
    if (dst.dtype() == src.dtype()) {  // strided or broadcast: move bits
        return dispatch_bits(dtype_size(dst.dtype()), [&](auto tag) {
            launch_copy<decltype(tag), decltype(tag)>(dst, src);
        });
    }
    dispatch_all(dst.dtype(), [&](auto dtag) {
        dispatch_all(src.dtype(),
                     [&](auto stag) { launch_copy<decltype(dtag), decltype(stag)>(dst, src); });
    });
}

void fill(const Tensor& dst, double value) {
    const auto plan = make_plan<1>(dst.shape(), {&dst});
    if (plan.numel == 0) return;
    const DeviceScope scope(dst.device());
    dispatch_all(dst.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T v = kernels::convert<T, double>(value);
        dispatch_bits(sizeof(T), [&](auto utag) {
            using U = decltype(utag);
            if constexpr (sizeof(U) == sizeof(T)) {
                U bits;
                std::memcpy(&bits, &v, sizeof bits);
                const LaunchDims d = linear_launch(plan.numel);
                fill_kernel<U>
                    <<<grid_of(d), d.threads, 0, scope.stream()>>>(plan, ptr<char>(dst), bits);
                LM_CUDA_CHECK(cudaGetLastError());
            }
        });
    });
}

}  // namespace lm::cuda
