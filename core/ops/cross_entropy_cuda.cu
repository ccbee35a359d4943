// CUDA launchers of the cross-entropy rows (kernels/cross_entropy.h): v1 one thread per row on the
// sequential row functions, v2 one warp per row on kernels/cross_entropy.h's lane pieces (see
// softmax_cuda.cu). Targets are validated on the device first, with the CPU's error message. The
// loss total is summed over rows in a fixed order by one block, so it is reproducible.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/cuda/kernel_version.h"
#include "core/kernels/cross_entropy.h"
#include "core/ops/cross_entropy_backend.h"
#include "core/ops/dispatch.h"

namespace lm::cuda {

using kernels::MaxOp;
using kernels::SumOp;

namespace {

// ---- CUDA kernels

__global__ void first_bad_target_kernel(
    unsigned long long* first, const int64_t* t, int64_t rows, int64_t C, int64_t ignore) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        if (t[r] != ignore && (t[r] < 0 || t[r] >= C)) {
            atomicMin(first, static_cast<unsigned long long>(r));
        }
    }
}

template <class T>
__global__ void ce_loss_v1(
    double* loss, const T* x, const int64_t* t, int64_t rows, int64_t C, int64_t ignore, T eps) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        loss[r] =
            t[r] == ignore
                ? 0.0
                : static_cast<double>(kernels::cross_entropy_row_forward(x + r * C, t[r], C, eps));
    }
}

// The row's log-sum-exp from one warp.
template <class C, class S>
__device__ C warp_logsumexp(const S* xr, int64_t n, int lane) {
    const C m = warp_reduce(kernels::lane_max<C>(xr, n, lane, kWarpSize), MaxOp{});
    const C s = warp_reduce(kernels::lane_sum_exp<C>(xr, n, m, lane, kWarpSize), SumOp{});
    return m + kernels::hd_log(s);
}

template <class S>
__global__ void ce_loss_v2(double* loss,
                           const S* x,
                           const int64_t* t,
                           int64_t rows,
                           int64_t n,
                           int64_t ignore,
                           Compute<S> eps) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        if (t[r] == ignore) {  // uniform across the warp
            if (lane == 0) loss[r] = 0.0;
            continue;
        }
        const S* xr = x + r * n;
        const C lse = warp_logsumexp<C>(xr, n, lane);
        const C mean = warp_reduce(kernels::lane_sum<C>(xr, n, lane, kWarpSize), SumOp{}) / C(n);
        if (lane == 0) {
            loss[r] = static_cast<double>(
                kernels::cross_entropy_loss(lse, kernels::ld<C>(xr, t[r]), mean, eps));
        }
    }
}

// out[0] = sum of the counted rows' losses, out[1] = their count (as double), in a fixed order.
__global__ void ce_total_kernel(
    double* out, const double* loss, const int64_t* t, int64_t rows, int64_t ignore) {
    __shared__ double smem[32];
    double s = 0, c = 0;
    for (int64_t r = threadIdx.x; r < rows; r += blockDim.x) {
        if (t[r] == ignore) continue;
        s += loss[r];
        c += 1;
    }
    s = block_reduce(s, SumOp{}, 0.0, smem);
    c = block_reduce(c, SumOp{}, 0.0, smem);
    if (threadIdx.x == 0) {
        out[0] = s;
        out[1] = c;
    }
}

template <class T>
__global__ void ce_backward_v1(
    T* dx, const T* x, const int64_t* t, int64_t rows, int64_t C, int64_t ignore, T eps, T scale) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        if (t[r] == ignore) {
            for (int64_t c = 0; c < C; ++c)
                dx[r * C + c] = T(0);
        } else {
            kernels::cross_entropy_row_backward(x + r * C, t[r], C, eps, scale, dx + r * C);
        }
    }
}

template <class S>
__global__ void ce_backward_v2(S* dx,
                               const S* x,
                               const int64_t* t,
                               int64_t rows,
                               int64_t n,
                               int64_t ignore,
                               Compute<S> eps,
                               Compute<S> scale) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        if (t[r] == ignore) {
            for (int64_t i = lane; i < n; i += kWarpSize)
                kernels::st(dx + r * n, i, C(0));
            continue;
        }
        const S* xr = x + r * n;
        const C lse = warp_logsumexp<C>(xr, n, lane);
        kernels::lane_cross_entropy_dx_write<C>(xr, dx + r * n, n, t[r], lse, eps, scale, lane,
                                                kWarpSize);
    }
}

// ---- launchers

void check_targets(
    const Tensor& targets, int64_t rows, int64_t C, int64_t ignore, cudaStream_t stream) {
    Tensor first = empty({1}, DType::Int64, targets.device());
    LM_CUDA_CHECK(cudaMemsetAsync(first.raw_data(), 0xff, sizeof(int64_t), stream));
    const LaunchDims d = linear_launch(rows);
    first_bad_target_kernel<<<grid_of(d), d.threads, 0, stream>>>(
        ptr<unsigned long long>(first), ptr<const int64_t>(targets), rows, C, ignore);
    LM_CUDA_CHECK(cudaGetLastError());
    int64_t row = 0;
    LM_CUDA_CHECK(
        cudaMemcpyAsync(&row, first.raw_data(), sizeof row, cudaMemcpyDeviceToHost, stream));
    LM_CUDA_CHECK(cudaStreamSynchronize(stream));
    if (row < 0) return;
    int64_t value = 0;
    LM_CUDA_CHECK(cudaMemcpyAsync(&value, ptr<const int64_t>(targets) + row, sizeof value,
                                  cudaMemcpyDeviceToHost, stream));
    LM_CUDA_CHECK(cudaStreamSynchronize(stream));
    LM_CHECK(false, "cross_entropy: target ", value, " (row ", row, ") is out of range for ", C,
             " classes");
}

}  // namespace

double cross_entropy_rows(
    const Tensor& logits, const Tensor& targets, int64_t ignore_index, double eps, int64_t* count) {
    const int64_t rows = logits.size(0), C = logits.size(1);
    *count = 0;
    if (rows == 0) return 0.0;
    const DeviceScope scope(logits.device());
    check_targets(targets, rows, C, ignore_index, scope.stream());
    const Tensor loss = empty({rows}, DType::Float64, logits.device());
    const bool v1 = use_row_kernels_v1(logits.dtype());
    dispatch_gpu_floating(logits.dtype(), "cross_entropy", [&](auto tag) {
        using S = decltype(tag);
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        const int64_t* t = ptr<const int64_t>(targets);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                ce_loss_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<double>(loss), ptr<const S>(logits), t, rows, C, ignore_index,
                    static_cast<S>(eps));
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        ce_loss_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<double>(loss), ptr<const S>(logits), t, rows, C, ignore_index,
            static_cast<Compute<S>>(eps));
        LM_CUDA_CHECK(cudaGetLastError());
    });
    const Tensor total = empty({2}, DType::Float64, logits.device());
    ce_total_kernel<<<1, kReduceThreads, 0, scope.stream()>>>(
        ptr<double>(total), ptr<const double>(loss), ptr<const int64_t>(targets), rows,
        ignore_index);
    LM_CUDA_CHECK(cudaGetLastError());
    double host[2] = {0, 0};
    LM_CUDA_CHECK(cudaMemcpyAsync(host, total.raw_data(), sizeof host, cudaMemcpyDeviceToHost,
                                  scope.stream()));
    LM_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
    *count = static_cast<int64_t>(host[1]);
    return host[0];
}

void cross_entropy_rows_backward(const Tensor& dlogits,
                                 const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double eps,
                                 double scale) {
    const int64_t rows = logits.size(0), C = logits.size(1);
    if (rows == 0) return;
    const DeviceScope scope(logits.device());
    const bool v1 = use_row_kernels_v1(logits.dtype());
    dispatch_gpu_floating(logits.dtype(), "cross_entropy backward", [&](auto tag) {
        using S = decltype(tag);
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        const int64_t* t = ptr<const int64_t>(targets);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                ce_backward_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<S>(dlogits), ptr<const S>(logits), t, rows, C, ignore_index,
                    static_cast<S>(eps), static_cast<S>(scale));
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        ce_backward_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<S>(dlogits), ptr<const S>(logits), t, rows, C, ignore_index,
            static_cast<Compute<S>>(eps), static_cast<Compute<S>>(scale));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
