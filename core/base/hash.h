// Non-cryptographic hashes for cache keys, deduplication and content-based splits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lm {

// 64-bit FNV-1a of a byte string, continuing from `basis` so hashes can be chained.
uint64_t fnv1a64(std::string_view bytes, uint64_t basis = 0xcbf29ce484222325ULL);
uint64_t fnv1a64_bytes(const void* data, size_t size, uint64_t basis = 0xcbf29ce484222325ULL);

}  // namespace lm
