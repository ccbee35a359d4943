// Device memory allocators with caching and live/peak byte counters (used for memory figures).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/tensor/device.h"

namespace lm {

struct MemoryStats {
    int64_t live_bytes = 0;    // bytes currently held by tensors (rounded block sizes)
    int64_t peak_bytes = 0;    // maximum of live_bytes since the last reset_peak()
    int64_t cached_bytes = 0;  // freed blocks kept for reuse
    int64_t allocations = 0;   // calls that reached the system allocator
};

class Allocator {
  public:
    virtual ~Allocator() = default;
    virtual void* allocate(size_t nbytes) = 0;
    virtual void deallocate(void* ptr, size_t nbytes) = 0;
    virtual MemoryStats stats() const = 0;
    virtual void reset_peak() = 0;
    virtual void empty_cache() = 0;  // return cached blocks to the system
};

// The allocator of a device; throws lm::Error for a device the build or machine lacks.
Allocator& allocator_for(Device device);
Allocator& cpu_allocator();

// Blocks are 64-byte aligned so that AVX loads and cache lines line up.
inline constexpr size_t kCpuAlignment = 64;

// Rounds a request to its block size: 64-byte granules below 4 KiB, then 8 size classes per
// power of two (at most 12.5% slack), so that repeated training steps reuse blocks exactly.
size_t round_block_size(size_t nbytes);

}  // namespace lm
