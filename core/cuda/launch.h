// Grid and block arithmetic of the CUDA launchers. Plain host/LM_HD code with no CUDA include, so
// the CPU tests (tests/kernels/cuda_launch_test.cpp) check the index math every kernel relies on:
// a wrong grid or a missed tail element is the most common silent GPU bug.
//
// Conventions: element-wise kernels use grid-stride loops over int64 indices with a capped grid;
// row kernels use one thread per row (v1) or one warp per row (v2); reductions use a grid that
// depends only on the problem size, so their summation order (and result) is reproducible.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/base/hd.h"

namespace lm::cuda {

inline constexpr int kThreads = 256;  // threads per block, element-wise kernels
inline constexpr int kWarpSize = 32;
inline constexpr int kRowWarps = 8;                 // warps (rows) per block of v2 row kernels
inline constexpr int64_t kMaxLinearBlocks = 65536;  // grid cap of grid-stride loops
inline constexpr int64_t kMaxGridX = 2147483647;    // hardware limit of gridDim.x
inline constexpr int kReduceThreads = 256;          // threads per block of reductions
inline constexpr int64_t kReduceMaxBlocks = 1024;   // partial sums of a flat reduction
inline constexpr int64_t kColumnTile = 32;          // columns per block of column sums
inline constexpr int64_t kColumnChunkRows = 256;    // rows per partial of column sums

struct LaunchDims {
    int64_t blocks = 0;
    int threads = 0;
};

LM_HD int64_t div_up(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

// Grid-stride launch over n elements: enough blocks for one element per thread, capped (each
// thread then loops). n == 0 launches nothing (blocks = 0).
LM_HD LaunchDims linear_launch(int64_t n,
                               int threads = kThreads,
                               int64_t max_blocks = kMaxLinearBlocks) {
    const int64_t want = div_up(n, threads);
    return {want < max_blocks ? want : max_blocks, threads};
}

// First index and step of the grid-stride loop of thread `thread` in block `block`.
LM_HD int64_t grid_stride_begin(int64_t block, int threads, int thread) {
    return block * threads + thread;
}
LM_HD int64_t grid_stride_step(int64_t blocks, int threads) {
    return blocks * threads;
}

// v1 row kernels: one thread per row (a grid-stride loop over rows).
LM_HD LaunchDims thread_rows_launch(int64_t rows) {
    return linear_launch(rows, 128);
}

// v2 row kernels: one warp per row, kRowWarps rows per block; warp w of block b starts at row
// b * kRowWarps + w and steps by blocks * kRowWarps (the grid is capped like linear_launch).
LM_HD LaunchDims warp_rows_launch(int64_t rows) {
    const int64_t want = div_up(rows, kRowWarps);
    return {want < kMaxLinearBlocks ? want : kMaxLinearBlocks, kRowWarps * kWarpSize};
}
LM_HD int64_t warp_row_begin(int64_t block, int thread) {
    return block * kRowWarps + thread / kWarpSize;
}
LM_HD int64_t warp_row_step(int64_t blocks) {
    return blocks * kRowWarps;
}

// Flat reduction of n elements: the number of per-block partials, a function of n alone.
LM_HD int64_t reduction_blocks(int64_t n) {
    const int64_t want = div_up(n, int64_t{kReduceThreads} * 8);
    return want < 1 ? 1 : (want > kReduceMaxBlocks ? kReduceMaxBlocks : want);
}

// Two-pass column sums of a [rows, cols] matrix: blocks of kColumnTile columns x one chunk of
// kColumnChunkRows rows write partials [chunks, cols], then one thread per column adds the
// chunks in order.
struct ColumnSumGrid {
    int64_t col_tiles = 0, chunks = 0;
};
LM_HD ColumnSumGrid column_sum_grid(int64_t rows, int64_t cols) {
    return {div_up(cols, kColumnTile), rows == 0 ? 1 : div_up(rows, kColumnChunkRows)};
}

// Rows [r0, r1) of chunk `chunk` (clamped to the matrix).
LM_HD int64_t chunk_row_begin(int64_t chunk) {
    return chunk * kColumnChunkRows;
}
LM_HD int64_t chunk_row_end(int64_t chunk, int64_t rows) {
    const int64_t e = (chunk + 1) * kColumnChunkRows;
    return e < rows ? e : rows;
}

// Query rows per block of the blocked softmax attention on the GPU: all S slices are processed
// together, so a block of R rows needs S * R * N score elements; R is the largest multiple of
// 16 (or all N rows) that keeps that under `budget` elements, and at least 1.
inline int64_t attention_block_rows(int64_t S, int64_t N, int64_t budget) {
    const int64_t per_row = std::max<int64_t>(1, S * N);
    int64_t r = budget / per_row;
    if (r >= N) return std::max<int64_t>(N, 1);
    if (r >= 16) r -= r % 16;
    return std::max<int64_t>(r, 1);
}
inline constexpr int64_t kAttentionScoreBudget = int64_t{1} << 25;  // elements (128 MiB fp32)

}  // namespace lm::cuda
