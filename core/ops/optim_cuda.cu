// CUDA launchers of the optimizer kernels: fused single-pass AdamW/Adam and SGD updates (one
// thread per element applying the functors of kernels/optim.h, as the CPU loops do), and the
// pieces of gradient clipping. The sum of squares uses a grid fixed by the size, so the global
// norm is the same on every run.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/optim.h"
#include "core/kernels/row_parts.h"
#include "core/ops/dispatch.h"
#include "core/ops/optim_backend.h"

namespace lm::cuda {

namespace {

// ---- CUDA kernels

template <class T>
__global__ void adam_kernel(T* p, const T* g, T* m, T* v, int64_t n, kernels::AdamUpdate<T> f) {
    LM_GRID_STRIDE_LOOP(i, n) {
        f(p[i], g[i], m[i], v[i]);
    }
}

template <class T>
__global__ void sgd_kernel(T* p, const T* g, T* buf, int64_t n, kernels::SgdUpdate<T> f) {
    LM_GRID_STRIDE_LOOP(i, n) {
        if (buf)
            f(p[i], g[i], buf[i]);
        else
            f(p[i], g[i]);
    }
}

// partial[block] = sum of grad_square over the block's grid-stride elements.
template <class T>
__global__ void squares_partial_kernel(double* partial, const T* x, int64_t n) {
    __shared__ double smem[32];
    double s = 0;
    LM_GRID_STRIDE_LOOP(i, n) {
        s += kernels::grad_square(x[i]);
    }
    s = block_reduce(s, kernels::SumOp{}, 0.0, smem);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

__global__ void sum_partials_kernel(double* out, const double* partial, int64_t count) {
    __shared__ double smem[32];
    double s = 0;
    for (int64_t i = threadIdx.x; i < count; i += blockDim.x)
        s += partial[i];
    s = block_reduce(s, kernels::SumOp{}, 0.0, smem);
    if (threadIdx.x == 0) out[0] = s;
}

template <class T, class F>
__global__ void apply_kernel(T* x, int64_t n, F f) {
    LM_GRID_STRIDE_LOOP(i, n) {
        f(x[i]);
    }
}

template <class T, class F>
void launch_apply(const Tensor& x, const F& f) {
    const int64_t n = x.numel();
    if (n == 0) return;
    const DeviceScope scope(x.device());
    const LaunchDims d = linear_launch(n);
    apply_kernel<T, F><<<grid_of(d), d.threads, 0, scope.stream()>>>(ptr<T>(x), n, f);
    LM_CUDA_CHECK(cudaGetLastError());
}

}  // namespace

// ---- launchers

void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs) {
    const int64_t n = param.numel();
    if (n == 0) return;
    const DeviceScope scope(param.device());
    dispatch_gpu_full(param.dtype(), "adam_step", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(n);
        adam_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(param), ptr<const T>(grad), ptr<T>(exp_avg), ptr<T>(exp_avg_sq), n,
            kernels::AdamUpdate<T>(coeffs));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs) {
    const int64_t n = param.numel();
    if (n == 0) return;
    const DeviceScope scope(param.device());
    dispatch_gpu_full(param.dtype(), "sgd_step", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(n);
        sgd_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(param), ptr<const T>(grad),
            momentum_buffer.defined() ? ptr<T>(momentum_buffer) : nullptr, n,
            kernels::SgdUpdate<T>(coeffs));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

double sum_of_squares(const Tensor& x) {
    const int64_t n = x.numel();
    if (n == 0) return 0.0;
    const DeviceScope scope(x.device());
    const int64_t blocks = reduction_blocks(n);
    const Tensor partial = empty({blocks + 1}, DType::Float64, x.device());
    double* part = ptr<double>(partial);
    dispatch_gpu_full(x.dtype(), "sum_of_squares", [&](auto tag) {
        using T = decltype(tag);
        squares_partial_kernel<T>
            <<<blocks, kReduceThreads, 0, scope.stream()>>>(part + 1, ptr<const T>(x), n);
        LM_CUDA_CHECK(cudaGetLastError());
    });
    sum_partials_kernel<<<1, kReduceThreads, 0, scope.stream()>>>(part, part + 1, blocks);
    LM_CUDA_CHECK(cudaGetLastError());
    double total = 0;
    LM_CUDA_CHECK(
        cudaMemcpyAsync(&total, part, sizeof total, cudaMemcpyDeviceToHost, scope.stream()));
    LM_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
    return total;
}

void scale_in_place(const Tensor& x, double s) {
    dispatch_gpu_full(x.dtype(), "scale_in_place", [&](auto tag) {
        using T = decltype(tag);
        launch_apply<T>(x, kernels::ScaleBy<T>{T(s)});
    });
}

void clamp_in_place(const Tensor& x, double lo, double hi) {
    dispatch_gpu_full(x.dtype(), "clamp_in_place", [&](auto tag) {
        using T = decltype(tag);
        launch_apply<T>(x, kernels::ClampTo<T>{T(lo), T(hi)});
    });
}

}  // namespace lm::cuda
