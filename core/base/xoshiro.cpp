#include "core/base/xoshiro.h"

#include "core/base/hash.h"

namespace lm {

uint64_t mix64(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t SplitMix64::next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
}

Rng::Rng(uint64_t seed) {
    SplitMix64 seeder(seed);
    for (auto& word : s_) {
        word = seeder.next();
    }
}

static inline uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t Rng::next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

uint64_t Rng::below(uint64_t n) {
    // Lemire's multiply-shift with rejection of the biased low region.
    unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * n;
    uint64_t low = static_cast<uint64_t>(product);
    if (low < n) {
        const uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            product = static_cast<unsigned __int128>(next_u64()) * n;
            low = static_cast<uint64_t>(product);
        }
    }
    return static_cast<uint64_t>(product >> 64);
}

int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
}

double Rng::uniform01() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

uint64_t stream_seed(uint64_t seed, std::string_view domain, uint64_t split, uint64_t index) {
    uint64_t h = mix64(seed ^ 0x6c616e646d61726bULL);  // "landmark"
    h = mix64(h ^ fnv1a64(domain));
    h = mix64(h ^ (split * 0x9e3779b97f4a7c15ULL));
    return mix64(h ^ index);
}

}  // namespace lm
