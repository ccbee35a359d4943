// CUDA launchers of softmax and log-softmax over rows:
//   v1: one thread per row running the sequential row functions of kernels/softmax.h (float and
//       double), the math the CPU tests check;
//   v2: one warp per row with the lane pieces of kernels/softmax.h and warp shuffles (every
//       dtype; 16-bit storage computes in float). The default; the GPU tests compare it with v1.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/cuda/kernel_version.h"
#include "core/kernels/softmax.h"
#include "core/ops/dispatch.h"
#include "core/ops/softmax_backend.h"

namespace lm::cuda {

using kernels::MaxOp;
using kernels::SumOp;

namespace {

template <class T>
__global__ void softmax_v1(T* y, const T* x, int64_t rows, int64_t n, bool log) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        if (log)
            kernels::log_softmax_row_forward(x + r * n, y + r * n, n);
        else
            kernels::softmax_row_forward(x + r * n, y + r * n, n);
    }
}

template <class S>
__global__ void softmax_v2(S* y, const S* x, int64_t rows, int64_t n, bool log) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        const S* xr = x + r * n;
        const C m = warp_reduce(kernels::lane_max<C>(xr, n, lane, kWarpSize), MaxOp{});
        const C s = warp_reduce(kernels::lane_sum_exp<C>(xr, n, m, lane, kWarpSize), SumOp{});
        kernels::lane_softmax_write<C>(xr, y + r * n, n, m, s, log, lane, kWarpSize);
    }
}

template <class T>
__global__ void softmax_backward_v1(
    T* dx, const T* y, const T* dy, int64_t rows, int64_t n, bool log) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        if (log)
            kernels::log_softmax_row_backward(y + r * n, dy + r * n, dx + r * n, n);
        else
            kernels::softmax_row_backward(y + r * n, dy + r * n, dx + r * n, n);
    }
}

template <class S>
__global__ void softmax_backward_v2(
    S* dx, const S* y, const S* dy, int64_t rows, int64_t n, bool log) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        const S *yr = y + r * n, *gr = dy + r * n;
        const C part = log ? kernels::lane_sum<C>(gr, n, lane, kWarpSize)
                           : kernels::lane_dot<C>(gr, yr, n, lane, kWarpSize);
        const C red = warp_reduce(part, SumOp{});
        kernels::lane_softmax_backward_write<C>(yr, gr, dx + r * n, n, red, log, lane, kWarpSize);
    }
}

}  // namespace

void softmax_rows(const Tensor& y, const Tensor& x, bool log) {
    const int64_t n = x.size(-1), rows = x.numel() / n;
    if (rows == 0) return;
    const DeviceScope scope(x.device());
    const bool v1 = use_row_kernels_v1(x.dtype());
    dispatch_gpu_floating(x.dtype(), "softmax", [&](auto tag) {
        using S = decltype(tag);
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                softmax_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<S>(y), ptr<const S>(x), rows, n, log);
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        softmax_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(ptr<S>(y), ptr<const S>(x),
                                                                    rows, n, log);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void softmax_rows_backward(const Tensor& dx, const Tensor& y, const Tensor& dy, bool log) {
    const int64_t n = y.size(-1), rows = y.numel() / n;
    if (rows == 0) return;
    const DeviceScope scope(y.device());
    const bool v1 = use_row_kernels_v1(y.dtype());
    dispatch_gpu_floating(y.dtype(), "softmax backward", [&](auto tag) {
        using S = decltype(tag);
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                softmax_backward_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<S>(dx), ptr<const S>(y), ptr<const S>(dy), rows, n, log);
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        softmax_backward_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<S>(dx), ptr<const S>(y), ptr<const S>(dy), rows, n, log);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
