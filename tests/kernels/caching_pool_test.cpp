// The caching logic of the CUDA device allocator (core/cuda/caching_pool.h) driven by a fake raw
// allocator on the CPU: size classes, reuse without a raw call, statistics, release of the cache
// and the retry after a failed raw allocation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "core/cuda/caching_pool.h"

namespace lm::cuda {
namespace {

// malloc-backed raw memory with a byte budget; counts calls.
class FakeRaw final : public RawDeviceMemory {
  public:
    explicit FakeRaw(size_t budget) : budget_(budget) {}
    ~FakeRaw() override { EXPECT_EQ(live_, 0u) << "blocks leaked to the fake device"; }

    void* malloc(size_t nbytes) override {
        ++mallocs;
        if (used_ + nbytes > budget_) return nullptr;
        used_ += nbytes;
        ++live_;
        void* p = std::malloc(nbytes);
        sizes_[p] = nbytes;
        return p;
    }
    void free(void* ptr) override {
        ++frees;
        const auto it = sizes_.find(ptr);
        ASSERT_NE(it, sizes_.end()) << "free of a pointer the fake did not hand out";
        used_ -= it->second;
        sizes_.erase(it);
        --live_;
        std::free(ptr);
    }
    int mallocs = 0, frees = 0;

  private:
    size_t budget_, used_ = 0, live_ = 0;
    std::map<void*, size_t> sizes_;
};

TEST(CachingPool, SizeClasses) {
    EXPECT_EQ(device_block_size(0), 512u);
    EXPECT_EQ(device_block_size(1), 512u);
    EXPECT_EQ(device_block_size(512), 512u);
    EXPECT_EQ(device_block_size(513), 1024u);
    EXPECT_EQ(device_block_size(size_t{1} << 20), size_t{1} << 20);
    // above 1 MiB: 8 classes per power of two
    EXPECT_EQ(device_block_size((size_t{1} << 20) + 1), (size_t{1} << 20) + (size_t{1} << 17));
    for (size_t n : {size_t{3} << 20, size_t{5000000}, size_t{1} << 30, size_t{123456789}}) {
        const size_t b = device_block_size(n);
        EXPECT_GE(b, n);
        EXPECT_LE(b, n + n / 8 + 1) << n;  // at most 12.5% slack
        EXPECT_EQ(device_block_size(b), b) << "a class is its own class";
    }
}

TEST(CachingPool, ReusesFreedBlocksWithoutRawCalls) {
    FakeRaw raw(size_t{1} << 30);
    CachingPool pool(raw);
    void* a = pool.allocate(1000);
    void* b = pool.allocate(3000);
    EXPECT_EQ(raw.mallocs, 2);
    pool.deallocate(a, 1000);
    EXPECT_EQ(pool.stats().cached_bytes, 1024);
    void* c = pool.allocate(700);  // same class as 1000 (1024 bytes)
    EXPECT_EQ(c, a);
    EXPECT_EQ(raw.mallocs, 2);
    EXPECT_EQ(pool.stats().cached_bytes, 0);
    EXPECT_EQ(pool.stats().live_bytes, 1024 + 3072);
    EXPECT_EQ(pool.stats().allocations, 2);
    pool.deallocate(b, 3000);
    pool.deallocate(c, 700);
    EXPECT_EQ(pool.stats().live_bytes, 0);
    EXPECT_EQ(pool.stats().peak_bytes, 1024 + 3072);
    pool.reset_peak();
    EXPECT_EQ(pool.stats().peak_bytes, 0);
    pool.release_cache();
    EXPECT_EQ(raw.frees, 2);
    EXPECT_EQ(pool.stats().cached_bytes, 0);
}

TEST(CachingPool, ReleasesTheCacheAndRetriesWhenRawFails) {
    FakeRaw raw(4096);
    CachingPool pool(raw);
    void* a = pool.allocate(2048);
    void* b = pool.allocate(2048);
    pool.deallocate(a, 2048);
    pool.deallocate(b, 2048);
    // 4096 bytes cached in the 2048 class; a 4096 request misses the cache and fails raw,
    // so the pool releases the cache and retries once.
    void* c = pool.allocate(4096);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(raw.frees, 2);
    EXPECT_EQ(pool.stats().cached_bytes, 0);
    EXPECT_EQ(pool.allocate(512), nullptr);  // nothing cached, raw budget exhausted
    pool.deallocate(c, 4096);
    pool.release_cache();
    EXPECT_EQ(raw.frees, 3);
}

TEST(CachingPool, NullIsIgnored) {
    FakeRaw raw(1024);
    CachingPool pool(raw);
    pool.deallocate(nullptr, 100);
    EXPECT_EQ(pool.stats().live_bytes, 0);
    EXPECT_EQ(pool.stats().cached_bytes, 0);
}

}  // namespace
}  // namespace lm::cuda
