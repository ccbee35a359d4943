// Caching CPU allocator: freed blocks go to a free list keyed by block size and are reused by
// the next request of that size, so a training step allocates from the system only once.
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "core/base/check.h"
#include "core/tensor/allocator.h"

namespace lm {

size_t round_block_size(size_t nbytes) {
    if (nbytes == 0) return kCpuAlignment;
    if (nbytes <= 4096) return (nbytes + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
    size_t pow2 = 4096;
    while (pow2 * 2 < nbytes) pow2 *= 2;
    const size_t step = pow2 / 8;
    return (nbytes + step - 1) / step * step;
}

namespace {

class CpuCachingAllocator final : public Allocator {
public:
    ~CpuCachingAllocator() override { empty_cache(); }

    void* allocate(size_t nbytes) override {
        const size_t size = round_block_size(nbytes);
        std::lock_guard<std::mutex> lock(mu_);
        void* p = take_cached(size);
        if (!p) {
            p = std::aligned_alloc(kCpuAlignment, size);
            if (!p) {
                release_cache_locked();
                p = std::aligned_alloc(kCpuAlignment, size);
            }
            LM_CHECK(p, "out of CPU memory: could not allocate ", size, " bytes (",
                     stats_.live_bytes, " bytes in use)");
            ++stats_.allocations;
        }
        stats_.live_bytes += static_cast<int64_t>(size);
        if (stats_.live_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.live_bytes;
        return p;
    }

    void deallocate(void* ptr, size_t nbytes) override {
        if (!ptr) return;
        const size_t size = round_block_size(nbytes);
        std::lock_guard<std::mutex> lock(mu_);
        stats_.live_bytes -= static_cast<int64_t>(size);
        free_[size].push_back(ptr);
        stats_.cached_bytes += static_cast<int64_t>(size);
    }

    MemoryStats stats() const override {
        std::lock_guard<std::mutex> lock(mu_);
        return stats_;
    }

    void reset_peak() override {
        std::lock_guard<std::mutex> lock(mu_);
        stats_.peak_bytes = stats_.live_bytes;
    }

    void empty_cache() override {
        std::lock_guard<std::mutex> lock(mu_);
        release_cache_locked();
    }

private:
    void* take_cached(size_t size) {
        auto it = free_.find(size);
        if (it == free_.end() || it->second.empty()) return nullptr;
        void* p = it->second.back();
        it->second.pop_back();
        stats_.cached_bytes -= static_cast<int64_t>(size);
        return p;
    }

    void release_cache_locked() {
        for (auto& [size, blocks] : free_) {
            for (void* p : blocks) std::free(p);
        }
        free_.clear();
        stats_.cached_bytes = 0;
    }

    mutable std::mutex mu_;
    std::unordered_map<size_t, std::vector<void*>> free_;
    MemoryStats stats_;
};

}  // namespace

Allocator& cpu_allocator() {
    // Leaked on purpose: tensors in static storage may be destroyed after this would be.
    static Allocator* instance = new CpuCachingAllocator();
    return *instance;
}

}  // namespace lm
