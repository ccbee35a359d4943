// CUDA dropout: the same per-element keep function as the CPU (kernels/dropout.h), so a seed
// gives the same mask on both backends, bit for bit. The backward regenerates the mask.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/dropout.h"
#include "core/ops/dispatch.h"
#include "core/ops/dropout_backend.h"

namespace lm::cuda {

namespace {

// One thread per group of 4 elements (one Philox block), as the CPU loop.
template <class T>
__global__ void dropout_kernel(
    T* out, const T* x, int64_t n, uint64_t seed, uint64_t offset, float p, T scale) {
    LM_GRID_STRIDE_LOOP(g, (n + 3) / 4) {
        const int64_t i = g * 4;
        const int count = static_cast<int>(n - i < 4 ? n - i : 4);
        kernels::dropout_apply4(x + i, out + i, seed, offset, static_cast<uint64_t>(i), count, p,
                                scale);
    }
}

}  // namespace

void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset) {
    const int64_t n = x.numel();
    if (n == 0) return;
    const DeviceScope scope(x.device());
    dispatch_gpu_full(x.dtype(), "dropout", [&](auto tag) {
        using T = decltype(tag);
        const LaunchDims d = linear_launch((n + 3) / 4);
        dropout_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(out), ptr<const T>(x), n, seed, offset, static_cast<float>(p),
            static_cast<T>(1.0 / (1.0 - p)));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
