// CUDA launchers of the indexing ops. Gathers are one thread per output element and move bits
// (instantiated per element size). The accumulating kernels (index_add, scatter_add) give each
// output column of a slice to one thread, which adds its contributions in source order: no
// atomics, so results are deterministic and equal to the CPU's order of additions.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/ops/dispatch.h"
#include "core/ops/index_backend.h"

namespace lm::cuda {

namespace {

template <class F>
void dispatch_index(const Tensor& index, const F& f) {
    if (index.dtype() == DType::Int64) {
        f(ptr<const int64_t>(index));
    } else {
        f(ptr<const int32_t>(index));
    }
}

// ---- CUDA kernels

// out[o, j, c] = x[o, idx[j], c], elements moved as U.
template <class U, class I>
__global__ void index_select_kernel(
    U* out, const U* x, const I* idx, int64_t outer, int64_t k, int64_t n, int64_t inner) {
    LM_GRID_STRIDE_LOOP(e, outer * k * inner) {
        const int64_t c = e % inner, r = e / inner, o = r / k, j = r % k;
        out[e] = x[(o * n + static_cast<int64_t>(idx[j])) * inner + c];
    }
}

// out[o, idx[j], c] += src[o, j, c], thread (o, c) adding j = 0, 1, ... in order.
template <class T, class I>
__global__ void index_add_kernel(
    T* out, const T* src, const I* idx, int64_t outer, int64_t k, int64_t n, int64_t inner) {
    LM_GRID_STRIDE_LOOP(t, outer * inner) {
        const int64_t o = t / inner, c = t % inner;
        for (int64_t j = 0; j < k; ++j) {
            out[(o * n + static_cast<int64_t>(idx[j])) * inner + c] += src[(o * k + j) * inner + c];
        }
    }
}

// out[r, c] = x[o, idx[r, c], c] for r in slice o (k rows per slice).
template <class U, class I>
__global__ void gather_kernel(
    U* out, const U* x, const I* idx, int64_t outer, int64_t k, int64_t n, int64_t inner) {
    LM_GRID_STRIDE_LOOP(e, outer * k * inner) {
        const int64_t c = e % inner, o = e / inner / k;
        out[e] = x[(o * n + static_cast<int64_t>(idx[e])) * inner + c];
    }
}

// out[o, idx[r, c], c] += src[r, c], thread (o, c) adding the slice's rows in order.
template <class T, class I>
__global__ void scatter_add_kernel(
    T* out, const T* src, const I* idx, int64_t outer, int64_t k, int64_t n, int64_t inner) {
    LM_GRID_STRIDE_LOOP(t, outer * inner) {
        const int64_t o = t / inner, c = t % inner;
        for (int64_t j = 0; j < k; ++j) {
            const int64_t e = (o * k + j) * inner + c;
            out[(o * n + static_cast<int64_t>(idx[e])) * inner + c] += src[e];
        }
    }
}

// first[0] = smallest position holding an index outside [0, n) (stays at its initial maximum
// when there is none).
template <class I>
__global__ void first_bad_kernel(unsigned long long* first,
                                 const I* idx,
                                 int64_t count,
                                 int64_t n) {
    LM_GRID_STRIDE_LOOP(i, count) {
        const int64_t v = static_cast<int64_t>(idx[i]);
        if (v < 0 || v >= n) atomicMin(first, static_cast<unsigned long long>(i));
    }
}

}  // namespace

// ---- launchers

int64_t first_bad_index(const Tensor& index, int64_t n) {
    const int64_t count = index.numel();
    if (count == 0) return -1;
    const DeviceScope scope(index.device());
    Tensor first = empty({1}, DType::Int64, index.device());
    LM_CUDA_CHECK(cudaMemsetAsync(first.raw_data(), 0xff, sizeof(int64_t), scope.stream()));
    dispatch_index(index, [&](const auto* idx) {
        const LaunchDims d = linear_launch(count);
        first_bad_kernel<<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<unsigned long long>(first), idx, count, n);
        LM_CUDA_CHECK(cudaGetLastError());
    });
    int64_t pos = 0;
    LM_CUDA_CHECK(cudaMemcpyAsync(&pos, first.raw_data(), sizeof pos, cudaMemcpyDeviceToHost,
                                  scope.stream()));
    LM_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
    if (pos < 0) return -1;  // still all ones: every index is in range
    const size_t esize = dtype_size(index.dtype());
    int64_t value64 = 0;
    int32_t value32 = 0;
    void* dst = esize == 8 ? static_cast<void*>(&value64) : static_cast<void*>(&value32);
    LM_CUDA_CHECK(cudaMemcpyAsync(dst, static_cast<const char*>(index.raw_data()) + pos * esize,
                                  esize, cudaMemcpyDeviceToHost, scope.stream()));
    LM_CUDA_CHECK(cudaStreamSynchronize(scope.stream()));
    return esize == 8 ? value64 : value32;
}

void index_select(const Tensor& out,
                  const Tensor& x,
                  const Tensor& index,
                  int64_t outer,
                  int64_t n,
                  int64_t inner) {
    const int64_t k = index.numel();
    if (outer * k * inner == 0) return;
    const DeviceScope scope(x.device());
    dispatch_bits(dtype_size(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        dispatch_index(index, [&](const auto* idx) {
            const LaunchDims d = linear_launch(outer * k * inner);
            index_select_kernel<<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<U>(out), ptr<const U>(x), idx, outer, k, n, inner);
            LM_CUDA_CHECK(cudaGetLastError());
        });
    });
}

void index_add(const Tensor& out,
               const Tensor& src,
               const Tensor& index,
               int64_t outer,
               int64_t n,
               int64_t inner) {
    const int64_t k = index.numel();
    if (outer * inner == 0 || k == 0) return;
    const DeviceScope scope(src.device());
    dispatch_gpu_full(src.dtype(), "index_add", [&](auto tag) {
        using T = decltype(tag);
        dispatch_index(index, [&](const auto* idx) {
            const LaunchDims d = linear_launch(outer * inner);
            index_add_kernel<<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<T>(out), ptr<const T>(src), idx, outer, k, n, inner);
            LM_CUDA_CHECK(cudaGetLastError());
        });
    });
}

void gather(const Tensor& out,
            const Tensor& x,
            const Tensor& index,
            int64_t outer,
            int64_t n,
            int64_t inner) {
    const int64_t total = index.numel();
    if (total == 0) return;
    const int64_t k = total / std::max<int64_t>(outer * inner, 1);
    const DeviceScope scope(x.device());
    dispatch_bits(dtype_size(x.dtype()), [&](auto tag) {
        using U = decltype(tag);
        dispatch_index(index, [&](const auto* idx) {
            const LaunchDims d = linear_launch(total);
            gather_kernel<<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<U>(out), ptr<const U>(x), idx, outer, k, n, inner);
            LM_CUDA_CHECK(cudaGetLastError());
        });
    });
}

void scatter_add(const Tensor& out,
                 const Tensor& src,
                 const Tensor& index,
                 int64_t outer,
                 int64_t n,
                 int64_t inner) {
    const int64_t total = index.numel();
    if (total == 0) return;
    const int64_t k = total / std::max<int64_t>(outer * inner, 1);
    const DeviceScope scope(src.device());
    dispatch_gpu_full(src.dtype(), "scatter_add", [&](auto tag) {
        using T = decltype(tag);
        dispatch_index(index, [&](const auto* idx) {
            const LaunchDims d = linear_launch(outer * inner);
            scatter_add_kernel<<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<T>(out), ptr<const T>(src), idx, outer, k, n, inner);
            LM_CUDA_CHECK(cudaGetLastError());
        });
    });
}

}  // namespace lm::cuda
