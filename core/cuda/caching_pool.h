// The caching logic of the CUDA device allocator, free of CUDA so that the CPU tests drive it
// with a fake raw allocator (tests/kernels/caching_pool_test.cpp). Freed blocks go to a free
// list keyed by their size class and serve the next request of that class; the raw allocator
// (cudaMalloc) is called only on a cache miss, and when it fails the cache is released and the
// request retried once. Not thread-safe: the owner (core/cuda/allocator_cuda.cpp) locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/tensor/allocator.h"

namespace lm::cuda {

inline constexpr size_t kDeviceMinBlock = 512;  // cudaMalloc aligns to 256 bytes
inline constexpr size_t kDeviceSmallLimit = size_t{1} << 20;

// Size class of a request: multiples of 512 bytes up to 1 MiB, then 8 classes per power of two
// (at most 12.5% slack), so the shapes of repeated training steps reuse blocks exactly.
inline size_t device_block_size(size_t nbytes) {
    if (nbytes <= kDeviceSmallLimit) {
        const size_t n = nbytes == 0 ? 1 : nbytes;
        return (n + kDeviceMinBlock - 1) / kDeviceMinBlock * kDeviceMinBlock;
    }
    size_t pow2 = kDeviceSmallLimit;
    while (pow2 * 2 < nbytes)
        pow2 *= 2;
    const size_t step = pow2 / 8;
    return (nbytes + step - 1) / step * step;
}

// The system allocator under the cache: malloc returns nullptr when out of memory.
class RawDeviceMemory {
  public:
    virtual ~RawDeviceMemory() = default;
    virtual void* malloc(size_t nbytes) = 0;
    virtual void free(void* ptr) = 0;
};

class CachingPool {
  public:
    explicit CachingPool(RawDeviceMemory& raw) : raw_(raw) {}

    // nullptr when the raw allocator fails even after the cache was released.
    void* allocate(size_t nbytes) {
        const size_t size = device_block_size(nbytes);
        void* p = take_cached(size);
        if (!p) {
            p = raw_.malloc(size);
            if (!p && stats_.cached_bytes > 0) {
                release_cache();
                p = raw_.malloc(size);
            }
            if (!p) return nullptr;
            ++stats_.allocations;
        }
        stats_.live_bytes += static_cast<int64_t>(size);
        if (stats_.live_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.live_bytes;
        return p;
    }

    void deallocate(void* ptr, size_t nbytes) {
        if (!ptr) return;
        const size_t size = device_block_size(nbytes);
        stats_.live_bytes -= static_cast<int64_t>(size);
        free_[size].push_back(ptr);
        stats_.cached_bytes += static_cast<int64_t>(size);
    }

    // Returns every cached block to the raw allocator.
    void release_cache() {
        for (auto& entry : free_) {
            for (void* p : entry.second)
                raw_.free(p);
        }
        free_.clear();
        stats_.cached_bytes = 0;
    }

    MemoryStats stats() const { return stats_; }
    void reset_peak() { stats_.peak_bytes = stats_.live_bytes; }

  private:
    void* take_cached(size_t size) {
        auto it = free_.find(size);
        if (it == free_.end() || it->second.empty()) return nullptr;
        void* p = it->second.back();
        it->second.pop_back();
        stats_.cached_bytes -= static_cast<int64_t>(size);
        return p;
    }

    RawDeviceMemory& raw_;
    std::unordered_map<size_t, std::vector<void*>> free_;
    MemoryStats stats_;
};

}  // namespace lm::cuda
