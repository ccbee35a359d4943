// CUDA launchers of the Nystrom landmark means (kernels/nystrom.h): one thread per output
// element; the backward gathers each position's landmark row, so no atomics.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/nystrom.h"
#include "core/ops/dispatch.h"
#include "core/ops/nystrom_backend.h"

namespace lm::cuda {

namespace {

// ---- CUDA kernels: landmark means (kernels::landmark_mean_at / landmark_mean_grad_at)

template <class T>
__global__ void landmark_mean_kernel(T* out,
                                     const T* x,
                                     const int64_t* order,
                                     const int64_t* bounds,
                                     int64_t S,
                                     int64_t H,
                                     int64_t N,
                                     int64_t M,
                                     int64_t D) {
    LM_GRID_STRIDE_LOOP(e, S * M * D) {
        const int64_t d = e % D, sj = e / D, s = sj / M, j = sj % M, b = s / H;
        const int64_t* bj = bounds + b * (M + 1) + j;
        out[e] = kernels::landmark_mean_at(x + s * N * D, order + b * N, bj[0], bj[1], D, d);
    }
}

template <class T>
__global__ void landmark_mean_backward_add_kernel(T* dx,
                                                  const T* dl,
                                                  const int64_t* segment,
                                                  const int64_t* bounds,
                                                  int64_t S,
                                                  int64_t H,
                                                  int64_t N,
                                                  int64_t M,
                                                  int64_t D) {
    LM_GRID_STRIDE_LOOP(e, S * N * D) {
        const int64_t d = e % D, r = e / D, s = r / N, i = r % N, b = s / H;
        dx[e] += kernels::landmark_mean_grad_at(dl + s * M * D, bounds + b * (M + 1),
                                                segment[b * N + i], D, d);
    }
}

}  // namespace

void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds) {
    const int64_t S = x.size(0), N = x.size(1), D = x.size(2), M = out.size(1);
    if (S * M * D == 0) return;
    const DeviceScope scope(x.device());
    dispatch_gpu_full(x.dtype(), "landmark_mean", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(S * M * D);
        landmark_mean_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(out), ptr<const T>(x), ptr<const int64_t>(order), ptr<const int64_t>(bounds), S,
            S / order.size(0), N, M, D);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds) {
    const int64_t S = dx.size(0), N = dx.size(1), D = dx.size(2), M = dl.size(1);
    if (S * N * D == 0) return;
    const DeviceScope scope(dx.device());
    dispatch_gpu_full(dl.dtype(), "landmark_mean backward", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(S * N * D);
        landmark_mean_backward_add_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(dx), ptr<const T>(dl), ptr<const int64_t>(segment), ptr<const int64_t>(bounds),
            S, S / segment.size(0), N, M, D);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
