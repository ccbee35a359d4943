// Caching CPU allocator: freed blocks go to a free list keyed by block size and are reused by
// the next request of that size, so a training step allocates from the system only once. A
// request with no free block of its size takes the smallest free block up to a quarter larger:
// batches whose real-token count varies (the padding-free encoder) then reuse each other's
// blocks instead of filling the cache with every size class they touch.
#include <cstdlib>
#include <map>
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
    while (pow2 * 2 < nbytes)
        pow2 *= 2;
    const size_t step = pow2 / 8;
    return (nbytes + step - 1) / step * step;
}

namespace {

class CpuCachingAllocator final : public Allocator {
  public:
    ~CpuCachingAllocator() override { empty_cache(); }

    void* allocate(size_t nbytes) override {
        size_t size = round_block_size(nbytes);
        std::lock_guard<std::mutex> lock(mu_);
        void* p = take_cached(&size);  // a cached block may be larger: size becomes its size
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
        block_size_[p] = size;
        stats_.live_bytes += static_cast<int64_t>(size);
        if (stats_.live_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.live_bytes;
        return p;
    }

    void deallocate(void* ptr, size_t nbytes) override {
        if (!ptr) return;
        std::lock_guard<std::mutex> lock(mu_);
        const auto it = block_size_.find(ptr);
        LM_ASSERT(it != block_size_.end(), "CPU allocator: freeing a block it did not hand out");
        const size_t size = it->second;
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
    // The smallest free block of at least *size and at most *size * 5/4 bytes; *size becomes
    // the block's size.
    void* take_cached(size_t* size) {
        const size_t want = *size;
        for (auto it = free_.lower_bound(want); it != free_.end() && it->first <= want + want / 4;
             ++it) {
            if (it->second.empty()) continue;
            void* p = it->second.back();
            it->second.pop_back();
            *size = it->first;
            stats_.cached_bytes -= static_cast<int64_t>(it->first);
            return p;
        }
        return nullptr;
    }

    void release_cache_locked() {
        for (auto& [size, blocks] : free_) {
            for (void* p : blocks) {
                block_size_.erase(p);
                std::free(p);
            }
        }
        free_.clear();
        stats_.cached_bytes = 0;
    }

    mutable std::mutex mu_;
    std::map<size_t, std::vector<void*>> free_;     // by block size, ordered for best fit
    std::unordered_map<void*, size_t> block_size_;  // every block's size, live or free
    MemoryStats stats_;
};

}  // namespace

Allocator& cpu_allocator() {
    // Leaked on purpose: tensors in static storage may be destroyed after this would be.
    static Allocator* instance = new CpuCachingAllocator();
    return *instance;
}

}  // namespace lm
