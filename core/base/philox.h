// Philox4x32-10 counter-based generator (Salmon et al., SC'11). The value of random element i
// depends only on (seed, counter), never on which thread computes it, so init and dropout are
// identical for any thread count and on CPU and GPU.
#pragma once

#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

struct Philox4 {
    uint32_t v[4];
};

LM_HD uint32_t mulhilo32(uint32_t a, uint32_t b, uint32_t* hi) {
    const uint64_t p = static_cast<uint64_t>(a) * b;
    *hi = static_cast<uint32_t>(p >> 32);
    return static_cast<uint32_t>(p);
}

// Ten rounds over the 128-bit counter (counter, stream) with the 64-bit key `seed`.
LM_HD Philox4 philox4x32(uint64_t seed, uint64_t counter, uint64_t stream = 0) {
    uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32);
    uint32_t c2 = static_cast<uint32_t>(stream), c3 = static_cast<uint32_t>(stream >> 32);
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0, hi1;
        const uint32_t lo0 = mulhilo32(0xD2511F53u, c0, &hi0);
        const uint32_t lo1 = mulhilo32(0xCD9E8D57u, c2, &hi1);
        const uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return {{c0, c1, c2, c3}};
}

// Philox4x32-10 of W consecutive counters (stream 0) at once, lane-major: out[w][l] is word w of
// counter + l. The same rounds as philox4x32, written over lane arrays so the CPU compiler turns
// each round into a few vector multiplies (vpmuludq) instead of W scalar chains.
template <int W>
LM_HD void philox4x32_lanes(uint64_t seed, uint64_t counter, uint32_t (&out)[4][W]) {
    uint32_t c0[W], c1[W], c2[W], c3[W];
    for (int l = 0; l < W; ++l) {
        const uint64_t c = counter + static_cast<uint64_t>(l);
        c0[l] = static_cast<uint32_t>(c), c1[l] = static_cast<uint32_t>(c >> 32), c2[l] = 0,
        c3[l] = 0;
    }
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        for (int l = 0; l < W; ++l) {
            const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0[l];
            const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2[l];
            const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1[l] ^ k0;
            const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3[l] ^ k1;
            c0[l] = n0, c1[l] = static_cast<uint32_t>(p1), c2[l] = n2,
            c3[l] = static_cast<uint32_t>(p0);
        }
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    for (int l = 0; l < W; ++l)
        out[0][l] = c0[l], out[1][l] = c1[l], out[2][l] = c2[l], out[3][l] = c3[l];
}

// Uniform in [0, 1) with 24 random bits (exactly representable in float).
LM_HD float uint_to_unit_float(uint32_t x) {
    return static_cast<float>(x >> 8) * (1.0f / 16777216.0f);
}

// Uniform in [0, 1) with 53 random bits.
LM_HD double uints_to_unit_double(uint32_t a, uint32_t b) {
    const uint64_t x = (static_cast<uint64_t>(a) << 21) ^ (b >> 11);
    return static_cast<double>(x & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
}

// Element i of a uniform stream drawn at `offset`: lane i%4 of block offset + i/4.
LM_HD float philox_uniform(uint64_t seed, uint64_t offset, uint64_t i) {
    const Philox4 r = philox4x32(seed, offset + i / 4);
    return uint_to_unit_float(r.v[i % 4]);
}

LM_HD double philox_uniform_double(uint64_t seed, uint64_t offset, uint64_t i) {
    const Philox4 r = philox4x32(seed, offset + i / 2);
    const int lane = static_cast<int>(i % 2) * 2;
    return uints_to_unit_double(r.v[lane], r.v[lane + 1]);
}

}  // namespace lm::kernels
