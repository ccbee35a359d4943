#include "core/base/hash.h"

namespace lm {

uint64_t fnv1a64_bytes(const void* data, size_t size, uint64_t basis) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    uint64_t h = basis;
    for (size_t i = 0; i < size; ++i) {
        h ^= bytes[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t fnv1a64(std::string_view bytes, uint64_t basis) {
    return fnv1a64_bytes(bytes.data(), bytes.size(), basis);
}

}  // namespace lm
