// The grid arithmetic of the CUDA launchers (core/cuda/launch.h) run on the CPU: every
// grid-stride loop, warp-per-row loop and column-sum chunking visits each index exactly once,
// including tails, capped grids and empty problems.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/cuda/launch.h"

namespace lm::cuda {
namespace {

// Visits of each element by every thread of a grid-stride launch over n elements.
std::vector<int> grid_stride_visits(int64_t n, const LaunchDims& d) {
    std::vector<int> seen(static_cast<size_t>(n), 0);
    for (int64_t b = 0; b < d.blocks; ++b) {
        for (int t = 0; t < d.threads; ++t) {
            for (int64_t i = grid_stride_begin(b, d.threads, t); i < n;
                 i += grid_stride_step(d.blocks, d.threads))
                ++seen[static_cast<size_t>(i)];
        }
    }
    return seen;
}

void expect_each_once(const std::vector<int>& seen, const char* what, int64_t n) {
    for (size_t i = 0; i < seen.size(); ++i)
        ASSERT_EQ(seen[i], 1) << what << ": n " << n << " index " << i;
}

TEST(CudaLaunch, LinearLaunchCoversEveryElementOnce) {
    for (int64_t n : {1, 2, 31, 255, 256, 257, 1000, 4097}) {
        expect_each_once(grid_stride_visits(n, linear_launch(n)), "linear", n);
    }
    // capped grid: threads loop
    for (int64_t n : {100, 1001, 5000}) {
        const LaunchDims d = linear_launch(n, 32, 3);
        EXPECT_EQ(d.blocks, 3);
        expect_each_once(grid_stride_visits(n, d), "capped", n);
    }
    EXPECT_EQ(linear_launch(0).blocks, 0);
    EXPECT_EQ(linear_launch(int64_t{1} << 40).blocks, kMaxLinearBlocks);
}

TEST(CudaLaunch, RowLaunchesCoverEveryRowOnce) {
    for (int64_t rows : {1, 7, 8, 9, 128, 129, 1000}) {
        expect_each_once(grid_stride_visits(rows, thread_rows_launch(rows)), "thread rows", rows);
        const LaunchDims d = warp_rows_launch(rows);
        ASSERT_EQ(d.threads, kRowWarps * kWarpSize);
        std::vector<int> seen(static_cast<size_t>(rows), 0);
        for (int64_t b = 0; b < d.blocks; ++b) {
            for (int t = 0; t < d.threads; t += kWarpSize) {  // lane 0 of each warp
                for (int64_t r = warp_row_begin(b, t); r < rows; r += warp_row_step(d.blocks))
                    ++seen[static_cast<size_t>(r)];
            }
        }
        expect_each_once(seen, "warp rows", rows);
    }
}

TEST(CudaLaunch, ReductionGridDependsOnSizeOnly) {
    EXPECT_EQ(reduction_blocks(0), 1);
    EXPECT_EQ(reduction_blocks(1), 1);
    EXPECT_EQ(reduction_blocks(kReduceThreads * 8), 1);
    EXPECT_EQ(reduction_blocks(kReduceThreads * 8 + 1), 2);
    EXPECT_EQ(reduction_blocks(int64_t{1} << 40), kReduceMaxBlocks);
}

TEST(CudaLaunch, ColumnSumChunksPartitionTheRows) {
    for (int64_t rows : {0, 1, 255, 256, 257, 1000}) {
        const ColumnSumGrid g = column_sum_grid(rows, 70);
        EXPECT_EQ(g.col_tiles, div_up(70, kColumnTile));
        ASSERT_GE(g.chunks, 1);
        int64_t next = 0;
        for (int64_t c = 0; c < g.chunks; ++c) {
            ASSERT_EQ(chunk_row_begin(c), next) << rows;
            next = chunk_row_end(c, rows);
            ASSERT_GE(next, std::min(chunk_row_begin(c), rows));
        }
        EXPECT_EQ(next, rows);
    }
}

TEST(CudaLaunch, AttentionBlockRows) {
    EXPECT_EQ(attention_block_rows(4, 100, int64_t{1} << 30), 100);  // everything fits
    const int64_t r = attention_block_rows(64, 4096, kAttentionScoreBudget);
    EXPECT_EQ(r % 16, 0);
    EXPECT_LE(r * 64 * 4096, kAttentionScoreBudget);
    EXPECT_EQ(attention_block_rows(1 << 20, 1 << 20, 16), 1);  // at least one row
    EXPECT_EQ(attention_block_rows(1, 0, 16), 1);
}

}  // namespace
}  // namespace lm::cuda
