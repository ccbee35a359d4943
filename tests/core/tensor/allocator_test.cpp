// The caching CPU allocator: a freed block serves a later request of its size class or up to a
// quarter smaller (batches whose real-token count varies share blocks), never a much smaller
// one, and live/cached byte counts follow the block actually handed out.
#include <gtest/gtest.h>

#include "core/tensor/allocator.h"

namespace lm {
namespace {

TEST(CpuAllocator, ReusesASlightlyLargerFreeBlock) {
    Allocator& a = cpu_allocator();
    a.empty_cache();
    const size_t big = size_t{10} << 20, smaller = size_t{9} << 20, tiny = size_t{2} << 20;
    void* p = a.allocate(big);
    const MemoryStats after_big = a.stats();
    a.deallocate(p, big);
    EXPECT_EQ(a.stats().cached_bytes, static_cast<int64_t>(round_block_size(big)));

    void* q = a.allocate(smaller);  // within a quarter: the cached block, no system call
    EXPECT_EQ(q, p);
    EXPECT_EQ(a.stats().allocations, after_big.allocations);
    EXPECT_EQ(a.stats().live_bytes, after_big.live_bytes);  // the whole block is held
    EXPECT_EQ(a.stats().cached_bytes, 0);
    a.deallocate(q, smaller);  // goes back under the block's own size
    EXPECT_EQ(a.stats().cached_bytes, static_cast<int64_t>(round_block_size(big)));

    void* r = a.allocate(tiny);  // far smaller: a new block
    EXPECT_NE(r, p);
    EXPECT_EQ(a.stats().allocations, after_big.allocations + 1);
    a.deallocate(r, tiny);
    a.empty_cache();
    EXPECT_EQ(a.stats().cached_bytes, 0);
}

}  // namespace
}  // namespace lm
