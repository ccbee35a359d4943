// CPU parallelism on a persistent thread pool (core/base/thread_pool.h). Work is split into
// contiguous ranges; results never depend on the thread count: element-wise work writes
// disjoint outputs, and reductions combine fixed-size blocks in a fixed order
// (parallel_reduce_blocks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace lm {

// Threads used by parallel_for: OMP_NUM_THREADS if set, else all cores, until set_num_threads.
int num_threads();
// 0 means "all cores". OpenBLAS always runs single-threaded (core splits GEMMs itself, see
// ops/matmul_cpu.cpp).
void set_num_threads(int n);

namespace detail {
bool in_parallel_region();
// Runs task(i) for i in [0, tasks) on the pool.
void run_parallel(int64_t tasks, const std::function<void(int64_t)>& task);
}  // namespace detail

// f(begin, end) over [begin, end) split across threads; runs inline when small or nested.
template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
    const int64_t n = end - begin;
    if (n <= 0) return;
    const int threads = detail::in_parallel_region() ? 1 : num_threads();
    if (threads <= 1 || n <= grain) {
        f(begin, end);
        return;
    }
    const int64_t chunks = std::min<int64_t>(threads, (n + grain - 1) / grain);
    detail::run_parallel(
        chunks, [&](int64_t c) { f(begin + n * c / chunks, begin + n * (c + 1) / chunks); });
}

// Calls fn(i) for every i in [0, n) in item order on up to `threads` pool threads (0 = all of
// the pool's), each taking the next item when done. Items must be independent (each writes its
// own output). When items fail, the others stop and the exception of the lowest failing index
// seen is rethrown.
void parallel_for_each(int64_t n, int threads, const std::function<void(int64_t)>& fn);

// Deterministic reduction: [0, n) is cut into blocks of `block` items regardless of the thread
// count; block_fn(b, e) -> Acc is computed in parallel and the partials are combined in order.
template <class Acc, class BlockFn, class Combine>
Acc parallel_reduce_blocks(
    int64_t n, int64_t block, Acc init, const BlockFn& block_fn, const Combine& combine) {
    if (n <= 0) return init;
    const int64_t blocks = (n + block - 1) / block;
    std::vector<Acc> partial(static_cast<size_t>(blocks), init);
    parallel_for(0, blocks, 1, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b)
            partial[b] = block_fn(b * block, std::min(n, (b + 1) * block));
    });
    Acc acc = init;
    for (const Acc& p : partial)
        acc = combine(acc, p);
    return acc;
}

}  // namespace lm
