// A small parallel-for over std::thread for data generation. Work items must be independent;
// results are deterministic because each item writes only its own output slot.
#pragma once

#include <cstdint>
#include <functional>

namespace lm::data {

// Number of worker threads for `requested` (0 = hardware concurrency, at least 1).
int resolve_threads(int requested);

// Calls fn(i) for i in [0, n) on up to `threads` threads (0 = hardware concurrency). On failure the
// exception of the lowest failing index seen is rethrown after all threads have stopped.
void parallel_for(int64_t n, int threads, const std::function<void(int64_t)>& fn);

}  // namespace lm::data
