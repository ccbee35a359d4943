// 32 Philox uniforms at once on the CPU, in element order: u[4 l + j] is word j of counter + l,
// exactly philox_uniform(seed, offset, i) for i = 4 * (counter - offset) + 4 l + j. Dropout and
// random init spend most of their time here, and GCC does not vectorise the 32x32->64-bit
// multiplies of the portable lane loop, so AVX2 machines get an intrinsics version: 8 counters
// per ymm register, vpmuludq on the even and the odd 32-bit lanes, then a 4x8 transpose.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/base/philox.h"
#include "core/kernels/attention.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace lm::cpu {

constexpr int kPhiloxBlock = 32;  // uniforms per philox_unit_floats32 call

#if defined(__AVX2__)
namespace philox_avx2 {

// lo/hi 32-bit halves of a[i] * m for the 8 lanes of a.
inline void mulhilo8(__m256i a, __m256i m, __m256i* lo, __m256i* hi) {
    const __m256i even = _mm256_mul_epu32(a, m);                        // lanes 0,2,4,6
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);  // lanes 1,3,5,7
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// Philox4x32-10 of counters counter..counter+7 (stream 0): w[j] lane l = word j of counter + l.
inline void philox8(uint64_t seed, uint64_t counter, __m256i w[4]) {
    alignas(32) uint32_t lo[8], hi[8];
    for (int l = 0; l < 8; ++l) {
        const uint64_t c = counter + static_cast<uint64_t>(l);
        lo[l] = static_cast<uint32_t>(c);
        hi[l] = static_cast<uint32_t>(c >> 32);
    }
    __m256i c0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo));
    __m256i c1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi));
    __m256i c2 = _mm256_setzero_si256(), c3 = _mm256_setzero_si256();
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
    const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        __m256i lo0, hi0, lo1, hi1;
        mulhilo8(c0, m0, &lo0, &hi0);
        mulhilo8(c2, m1, &lo1, &hi1);
        const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0));
        const __m256i key1 = _mm256_set1_epi32(static_cast<int>(k1));
        c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), key0);
        c1 = lo1;
        c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), key1);
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    w[0] = c0, w[1] = c1, w[2] = c2, w[3] = c3;
}

// uint_to_unit_float of 8 lanes: (x >> 8) * 2^-24.
inline __m256 unit_floats(__m256i x) {
    return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(x, 8)),
                         _mm256_set1_ps(1.0f / 16777216.0f));
}

}  // namespace philox_avx2
#endif

inline void philox_unit_floats32(uint64_t seed, uint64_t counter, float* u) {
#if defined(__AVX2__)
    using namespace philox_avx2;
    __m256i w[4];
    philox8(seed, counter, w);
    // transpose word-major [4][8] into counter-major: each 128-bit half is one counter's 4 words
    const __m256i t0 = _mm256_unpacklo_epi32(w[0], w[1]), t1 = _mm256_unpackhi_epi32(w[0], w[1]);
    const __m256i t2 = _mm256_unpacklo_epi32(w[2], w[3]), t3 = _mm256_unpackhi_epi32(w[2], w[3]);
    const __m256i l04 = _mm256_unpacklo_epi64(t0, t2), l15 = _mm256_unpackhi_epi64(t0, t2);
    const __m256i l26 = _mm256_unpacklo_epi64(t1, t3), l37 = _mm256_unpackhi_epi64(t1, t3);
    _mm256_storeu_ps(u, unit_floats(_mm256_permute2x128_si256(l04, l15, 0x20)));
    _mm256_storeu_ps(u + 8, unit_floats(_mm256_permute2x128_si256(l26, l37, 0x20)));
    _mm256_storeu_ps(u + 16, unit_floats(_mm256_permute2x128_si256(l04, l15, 0x31)));
    _mm256_storeu_ps(u + 24, unit_floats(_mm256_permute2x128_si256(l26, l37, 0x31)));
#else
    uint32_t r[4][8];
    kernels::philox4x32_lanes<8>(seed, counter, r);
    for (int l = 0; l < 8; ++l)
        for (int j = 0; j < 4; ++j)
            u[4 * l + j] = kernels::uint_to_unit_float(r[j][l]);
#endif
}

// Keep bytes of n consecutive attention-dropout elements from element `base` (the same draws as
// kernels::attention_keep_row): up to 3 leading elements reach a counter boundary one by one,
// whole blocks of 32 use the vectorised generator, the ragged end goes one by one again.
inline void philox_keep_row(
    uint8_t* keep, uint64_t seed, uint64_t offset, uint64_t base, int64_t n, float p) {
    int64_t j = std::min<int64_t>(n, static_cast<int64_t>((4 - base % 4) % 4));
    kernels::attention_keep_row(keep, seed, offset, base, j, p);
    alignas(32) float u[kPhiloxBlock];
    for (; j + kPhiloxBlock <= n; j += kPhiloxBlock) {
        philox_unit_floats32(seed, offset + (base + static_cast<uint64_t>(j)) / 4, u);
        for (int t = 0; t < kPhiloxBlock; ++t)
            keep[j + t] = u[t] >= p;
    }
    kernels::attention_keep_row(keep + j, seed, offset, base + static_cast<uint64_t>(j), n - j, p);
}

}  // namespace lm::cpu
