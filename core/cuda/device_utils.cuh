// Device-side helpers shared by the CUDA kernels (only .cu files include this): the compute type
// of a storage type, warp and block reductions, grid-stride loops, and the tensor-to-launch glue
// every launcher starts with.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/launch.h"
#include "core/kernels/half.h"
#include "core/tensor/dtype.h"
#include "core/tensor/tensor.h"

namespace lm::cuda {

// 16-bit storage computes in float; float and double compute in themselves.
template <class S>
struct ComputeOf {
    using type = S;
};
template <>
struct ComputeOf<bf16_t> {
    using type = float;
};
template <>
struct ComputeOf<f16_t> {
    using type = float;
};
template <class S>
using Compute = typename ComputeOf<S>::type;

// Butterfly reductions over a full warp: every lane ends with the result.
template <class T, class Op>
__device__ __forceinline__ T warp_reduce(T v, Op op) {
    for (int offset = kWarpSize / 2; offset > 0; offset >>= 1) {
        v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// Reduction over a block (blockDim.x a multiple of 32, at most 1024): warps reduce, then warp 0
// reduces the warps' results in order. Every thread returns the result. `smem` holds 32 T.
template <class T, class Op>
__device__ T block_reduce(T v, Op op, T identity, T* smem) {
    const int lane = threadIdx.x % kWarpSize, warp = threadIdx.x / kWarpSize;
    const int warps = blockDim.x / kWarpSize;
    v = warp_reduce(v, op);
    __syncthreads();  // smem may still be read from a previous call
    if (lane == 0) smem[warp] = v;
    __syncthreads();
    T r = lane < warps ? smem[lane] : identity;
    if (warp == 0) {
        r = warp_reduce(r, op);
        if (lane == 0) smem[0] = r;
    }
    __syncthreads();
    return smem[0];
}

// for (i = first; i < n; i += step) over the grid.
#define LM_GRID_STRIDE_LOOP(i, n)                                                                 \
    for (int64_t i = ::lm::cuda::grid_stride_begin(blockIdx.x, blockDim.x, threadIdx.x); i < (n); \
         i += ::lm::cuda::grid_stride_step(gridDim.x, blockDim.x))

// One warp per row: `row` visits this warp's rows, `lane` is the thread's lane.
#define LM_WARP_ROW_LOOP(row, rows)                                                       \
    for (int64_t row = ::lm::cuda::warp_row_begin(blockIdx.x, threadIdx.x); row < (rows); \
         row += ::lm::cuda::warp_row_step(gridDim.x))

__device__ __forceinline__ int lane_id() {
    return threadIdx.x % kWarpSize;
}

inline dim3 grid_of(const LaunchDims& d) {
    return dim3(static_cast<unsigned>(d.blocks));
}

template <class T>
T* ptr(const Tensor& t) {
    return static_cast<T*>(t.raw_data());
}

}  // namespace lm::cuda
