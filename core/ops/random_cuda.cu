// CUDA launchers of the Philox fills: the same per-element functions as ops/random_cpu.cpp
// (kernels/random.h), so a seed gives the same tensor on both backends (uniform draws and dropout
// masks bit for bit; normal draws up to the last ulp of the device's double log/sin/cos).
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/random.h"
#include "core/ops/dispatch.h"
#include "core/ops/random_backend.h"

namespace lm::cuda {

namespace {

// ---- CUDA kernels

template <class T>
__global__ void uniform_kernel(T* p, int64_t n, T base, T scale, uint64_t seed, uint64_t offset) {
    LM_GRID_STRIDE_LOOP(i, n) {
        const double u = kernels::philox_uniform_double(seed, offset, static_cast<uint64_t>(i));
        p[i] = base + scale * static_cast<T>(u);
    }
}

template <class T>
__global__ void normal_kernel(
    T* p, int64_t n, double mean, double std, uint64_t seed, uint64_t offset) {
    LM_GRID_STRIDE_LOOP(i, n) {
        const double z = kernels::philox_normal<double>(seed, offset, static_cast<uint64_t>(i));
        p[i] = static_cast<T>(mean + std * z);
    }
}

}  // namespace

// ---- launchers

void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset) {
    const int64_t n = t.numel();
    if (n == 0) return;
    const DeviceScope scope(t.device());
    dispatch_gpu_full(t.dtype(), "uniform_", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(n);
        uniform_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(t), n, static_cast<T>(lo), static_cast<T>(hi - lo), seed, offset);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset) {
    const int64_t n = t.numel();
    if (n == 0) return;
    const DeviceScope scope(t.device());
    dispatch_gpu_full(t.dtype(), "normal_", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch(n);
        normal_kernel<T>
            <<<grid_of(d), d.threads, 0, scope.stream()>>>(ptr<T>(t), n, mean, std, seed, offset);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
