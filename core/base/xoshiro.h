// Deterministic random numbers for data generation and shuffling.
//
// The standard distributions and std::shuffle are implementation-defined, so the data module
// uses its own: SplitMix64 to seed xoshiro256**, unbiased bounded integers (Lemire's method with
// rejection), 53-bit doubles and a Fisher-Yates shuffle. Every generated example gets its own
// stream (stream_seed of seed, domain, split and index), so generation can run in parallel and
// any example can be reproduced on its own.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace lm {

// SplitMix64 finaliser: a bijective 64-bit mix.
uint64_t mix64(uint64_t x);

class SplitMix64 {
  public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next();

  private:
    uint64_t state_;
};

// xoshiro256** 1.0 (Blackman and Vigna), seeded from SplitMix64.
class Rng {
  public:
    explicit Rng(uint64_t seed);
    uint64_t next_u64();
    // Uniform integer in [0, n); n > 0. Unbiased.
    uint64_t below(uint64_t n);
    // Uniform integer in [lo, hi] (both inclusive); lo <= hi.
    int64_t uniform_int(int64_t lo, int64_t hi);
    // Uniform double in [0, 1) from the top 53 bits.
    double uniform01();
    bool bit() { return (next_u64() >> 63) != 0; }

  private:
    std::array<uint64_t, 4> s_;
};

// Seed for an independent stream: a hash of the global seed, a domain name (e.g. the task),
// a split id and an example index.
uint64_t stream_seed(uint64_t seed, std::string_view domain, uint64_t split, uint64_t index);

// Fisher-Yates shuffle driven by rng.below (portable, unlike std::shuffle).
template <typename T>
void shuffle_in_place(std::vector<T>& values, Rng& rng) {
    for (size_t i = values.size(); i > 1; --i) {
        size_t j = static_cast<size_t>(rng.below(i));
        std::swap(values[i - 1], values[j]);
    }
}

}  // namespace lm
