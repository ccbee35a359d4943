// CUDA launchers of the reductions: row sums (a block or a thread per row), column sums (two
// passes over fixed row chunks) and arg-extrema (kernels/row_parts.h's ArgBest, the CPU scan's
// answer). Float sums accumulate in double as on the CPU; every summation order is fixed by the
// shapes alone, so results are reproducible run to run.
#include <type_traits>

#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/kernels/row_parts.h"
#include "core/ops/dispatch.h"
#include "core/ops/reduce_backend.h"

namespace lm::cuda {

namespace {

template <class T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

inline constexpr int64_t kShortRow = 64;  // rows up to this length: one thread per row

// ---- CUDA kernels

template <class T>
__global__ void sum_rows_thread_kernel(T* out, const T* x, int64_t outer, int64_t inner) {
    LM_GRID_STRIDE_LOOP(o, outer) {
        Acc<T> s = 0;
        for (int64_t i = 0; i < inner; ++i)
            s += static_cast<Acc<T>>(x[o * inner + i]);
        out[o] = static_cast<T>(s);
    }
}

template <class T>
__global__ void sum_rows_block_kernel(T* out, const T* x, int64_t outer, int64_t inner) {
    __shared__ Acc<T> smem[32];
    for (int64_t o = blockIdx.x; o < outer; o += gridDim.x) {
        Acc<T> s = 0;
        for (int64_t i = threadIdx.x; i < inner; i += blockDim.x) {
            s += static_cast<Acc<T>>(x[o * inner + i]);
        }
        s = block_reduce(s, kernels::SumOp{}, Acc<T>(0), smem);
        if (threadIdx.x == 0) out[o] = static_cast<T>(s);
    }
}

// Block (kColumnTile, 8): partial[chunk, col] = sum of x[r, col] over the chunk's rows.
template <class T>
__global__ void column_partials_kernel(Acc<T>* partial, const T* x, int64_t rows, int64_t cols) {
    __shared__ Acc<T> part[8][kColumnTile];
    const int64_t col = blockIdx.x * kColumnTile + threadIdx.x, chunk = blockIdx.y;
    const int64_t r1 = chunk_row_end(chunk, rows);
    Acc<T> s = 0;
    if (col < cols) {
        for (int64_t r = chunk_row_begin(chunk) + threadIdx.y; r < r1; r += blockDim.y) {
            s += static_cast<Acc<T>>(x[r * cols + col]);
        }
    }
    part[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && col < cols) {
        Acc<T> t = 0;
        for (int k = 0; k < static_cast<int>(blockDim.y); ++k)
            t += part[k][threadIdx.x];
        partial[chunk * cols + col] = t;
    }
}

template <class T>
__global__ void column_finish_kernel(T* out, const Acc<T>* partial, int64_t chunks, int64_t cols) {
    LM_GRID_STRIDE_LOOP(c, cols) {
        Acc<T> s = 0;
        for (int64_t k = 0; k < chunks; ++k)
            s += partial[k * cols + c];
        out[c] = static_cast<T>(s);
    }
}

template <class T>
__global__ void extremum_thread_kernel(
    T* values, int64_t* indices, const T* x, int64_t outer, int64_t inner, bool is_min) {
    LM_GRID_STRIDE_LOOP(o, outer) {
        const kernels::ArgBest<T> r = kernels::lane_argbest(x + o * inner, inner, is_min, 0, 1);
        values[o] = r.value;
        indices[o] = r.index;
    }
}

template <class T>
__global__ void extremum_block_kernel(
    T* values, int64_t* indices, const T* x, int64_t outer, int64_t inner, bool is_min) {
    __shared__ T sv[kReduceThreads];
    __shared__ int64_t si[kReduceThreads];
    for (int64_t o = blockIdx.x; o < outer; o += gridDim.x) {
        kernels::ArgBest<T> r =
            kernels::lane_argbest(x + o * inner, inner, is_min, threadIdx.x, blockDim.x);
        __syncthreads();
        sv[threadIdx.x] = r.value;
        si[threadIdx.x] = r.index;
        __syncthreads();
        for (int half = blockDim.x / 2; half > 0; half /= 2) {
            if (threadIdx.x < half) {  // an exact selection: the merge order does not matter
                r = kernels::argbest_merge(r, {sv[threadIdx.x + half], si[threadIdx.x + half]},
                                           is_min);
                sv[threadIdx.x] = r.value;
                si[threadIdx.x] = r.index;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            values[o] = sv[0];
            indices[o] = si[0];
        }
    }
}

int64_t row_blocks(int64_t outer) {
    return outer < kMaxLinearBlocks ? outer : kMaxLinearBlocks;
}

}  // namespace

// ---- launchers

void sum_rows(const Tensor& out, const Tensor& x, int64_t outer, int64_t inner) {
    if (outer == 0) return;
    const DeviceScope scope(x.device());
    dispatch_numeric(x.dtype(), "sum", [&](auto tag) {
        using T = decltype(tag);
        if (inner <= kShortRow) {
            const LaunchDims d = linear_launch(outer);
            sum_rows_thread_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<T>(out), ptr<const T>(x), outer, inner);
        } else {
            sum_rows_block_kernel<T><<<row_blocks(outer), kReduceThreads, 0, scope.stream()>>>(
                ptr<T>(out), ptr<const T>(x), outer, inner);
        }
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void sum_cols(const Tensor& out, const Tensor& x, int64_t rows, int64_t cols) {
    if (cols == 0) return;
    const DeviceScope scope(x.device());
    dispatch_numeric(x.dtype(), "sum", [&](auto tag) {
        using T = decltype(tag);
        const ColumnSumGrid g = column_sum_grid(rows, cols);
        const DType acc = std::is_floating_point_v<T> ? DType::Float64 : DType::Int64;
        const Tensor partial = empty({g.chunks, cols}, acc, x.device());
        const dim3 grid(static_cast<unsigned>(g.col_tiles), static_cast<unsigned>(g.chunks));
        column_partials_kernel<T><<<grid, dim3(kColumnTile, 8), 0, scope.stream()>>>(
            ptr<Acc<T>>(partial), ptr<const T>(x), rows, cols);
        LM_CUDA_CHECK(cudaGetLastError());
        const LaunchDims d = linear_launch(cols);
        column_finish_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<T>(out), ptr<const Acc<T>>(partial), g.chunks, cols);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void extremum_rows(const Tensor& values,
                   const Tensor& indices,
                   const Tensor& x,
                   int64_t outer,
                   int64_t inner,
                   bool is_min) {
    if (outer == 0) return;
    const DeviceScope scope(x.device());
    dispatch_numeric(x.dtype(), "max", [&](auto tag) {
        using T = decltype(tag);
        if (inner <= kShortRow) {
            const LaunchDims d = linear_launch(outer);
            extremum_thread_kernel<T><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                ptr<T>(values), ptr<int64_t>(indices), ptr<const T>(x), outer, inner, is_min);
        } else {
            extremum_block_kernel<T><<<row_blocks(outer), kReduceThreads, 0, scope.stream()>>>(
                ptr<T>(values), ptr<int64_t>(indices), ptr<const T>(x), outer, inner, is_min);
        }
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
