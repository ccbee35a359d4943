// Philox4x32-10 against the Random123 known-answer vectors (kat_vectors), and the mapping from
// (seed, offset, element) to the uniform, normal and dropout draws built on it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/base/philox.h"
#include "core/kernels/dropout.h"
#include "core/kernels/random.h"
#include "core/ops/philox_block_cpu.h"

namespace lm::kernels {
namespace {

// A Random123 KAT line: counter words ctr[0..3], key words key[0..1], expected output[0..3].
struct Kat {
    uint32_t ctr[4];
    uint32_t key[2];
    uint32_t out[4];
};

// Our philox4x32(seed, counter, stream) packs the 128-bit counter as (counter lo, counter hi,
// stream lo, stream hi) and the 64-bit key as (seed lo, seed hi).
Philox4 run_kat(const Kat& k) {
    const uint64_t counter = static_cast<uint64_t>(k.ctr[1]) << 32 | k.ctr[0];
    const uint64_t stream = static_cast<uint64_t>(k.ctr[3]) << 32 | k.ctr[2];
    const uint64_t seed = static_cast<uint64_t>(k.key[1]) << 32 | k.key[0];
    return philox4x32(seed, counter, stream);
}

TEST(Philox, Random123KnownAnswers) {
    const Kat kats[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
        {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
         {0xffffffff, 0xffffffff},
         {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
        {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
         {0xa4093822, 0x299f31d0},
         {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
    };
    for (const Kat& k : kats) {
        const Philox4 r = run_kat(k);
        for (int j = 0; j < 4; ++j) {
            EXPECT_EQ(r.v[j], k.out[j])
                << "word " << j << " of KAT with ctr[0] = " << std::hex << k.ctr[0];
        }
    }
}

TEST(Philox, StreamDefaultsToZero) {
    const Philox4 a = philox4x32(42, 7), b = philox4x32(42, 7, 0), c = philox4x32(42, 7, 1);
    for (int j = 0; j < 4; ++j)
        EXPECT_EQ(a.v[j], b.v[j]);
    EXPECT_FALSE(a.v[0] == c.v[0] && a.v[1] == c.v[1] && a.v[2] == c.v[2] && a.v[3] == c.v[3]);
}

TEST(Philox, UnitFloatRange) {
    EXPECT_EQ(uint_to_unit_float(0u), 0.0f);
    EXPECT_LT(uint_to_unit_float(0xffffffffu), 1.0f);
    EXPECT_EQ(uint_to_unit_float(0xffffffffu), 1.0f - 1.0f / 16777216.0f);
    EXPECT_EQ(uint_to_unit_float(0x80000000u), 0.5f);
    EXPECT_EQ(uints_to_unit_double(0, 0), 0.0);
    EXPECT_LT(uints_to_unit_double(0xffffffffu, 0xffffffffu), 1.0);
    EXPECT_EQ(uints_to_unit_double(0xffffffffu, 0xffffffffu), 1.0 - 1.0 / 9007199254740992.0);
}

TEST(Philox, UniformElementMapping) {
    const uint64_t seed = 1234, offset = 17;
    for (uint64_t i = 0; i < 64; ++i) {
        const Philox4 r = philox4x32(seed, offset + i / 4);
        EXPECT_EQ(philox_uniform(seed, offset, i), uint_to_unit_float(r.v[i % 4])) << i;
        const Philox4 d = philox4x32(seed, offset + i / 2);
        const int lane = static_cast<int>(i % 2) * 2;
        EXPECT_EQ(philox_uniform_double(seed, offset, i),
                  uints_to_unit_double(d.v[lane], d.v[lane + 1]))
            << i;
    }
    // a draw at a later offset continues the same stream of blocks
    EXPECT_EQ(philox_uniform(seed, offset, 8), philox_uniform(seed, offset + 2, 0));
}

TEST(Philox, UniformAndNormalMoments) {
    const int n = 200000;
    double su = 0, su2 = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < n; ++i) {
        const double u = philox_uniform_value<double>(99, 0, i);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        su += u;
        su2 += u * u;
        const double z = philox_normal<double>(99, 0, i);
        ASSERT_TRUE(std::isfinite(z));
        sn += z;
        sn2 += z * z;
    }
    EXPECT_NEAR(su / n, 0.5, 0.005);
    EXPECT_NEAR(su2 / n - (su / n) * (su / n), 1.0 / 12.0, 0.002);
    EXPECT_NEAR(sn / n, 0.0, 0.01);
    EXPECT_NEAR(sn2 / n, 1.0, 0.02);
    // float and double draws of one element agree (the float is the double rounded)
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(philox_normal<float>(5, 3, i),
                  static_cast<float>(philox_normal<double>(5, 3, i)));
    }
}

TEST(Philox, DropoutMaskRateAndScale) {
    const float p = 0.25f;
    const float scale = 1.0f / (1.0f - p);
    const int n = 100000;
    float in[4] = {1.0f, 2.0f, 3.0f, 4.0f}, out[4];
    int kept = 0;
    for (int i4 = 0; i4 < n; i4 += 4) {
        dropout_apply4(in, out, 7, 0, i4, 4, p, scale);
        for (int j = 0; j < 4; ++j) {
            // a kept element is the input scaled, and keeping follows the uniform draw
            const bool keep = philox_uniform(7, 0, i4 + j) >= p;
            ASSERT_EQ(out[j], keep ? in[j] * scale : 0.0f) << i4 + j;
            kept += keep;
        }
    }
    EXPECT_NEAR(static_cast<double>(kept) / n, 1.0 - p, 0.01);
    // a partial group writes only `count` elements
    out[3] = -1.0f;
    dropout_apply4(in, out, 7, 0, 0, 3, p, scale);
    EXPECT_EQ(out[3], -1.0f);
}

TEST(Philox, LanesMatchTheScalarGeneratorAcrossA32BitCounterCarry) {
    constexpr int W = 8;
    for (uint64_t counter : {uint64_t{0}, uint64_t{123456789}, uint64_t{0xFFFFFFFCull}}) {
        uint32_t out[4][W];
        philox4x32_lanes<W>(0x0123456789ABCDEFull, counter, out);
        for (int l = 0; l < W; ++l) {
            const Philox4 r = philox4x32(0x0123456789ABCDEFull, counter + l);
            for (int w = 0; w < 4; ++w)
                ASSERT_EQ(out[w][l], r.v[w]) << counter << " lane " << l;
        }
    }
}

TEST(Philox, CpuBlockOf32MatchesTheScalarUniformsInElementOrder) {
    float u[cpu::kPhiloxBlock];
    const uint64_t seed = 0x0123456789ABCDEFull, offset = 5;
    // the last start crosses a 32-bit counter carry inside the block
    for (uint64_t counter : {uint64_t{5}, uint64_t{1000003}, uint64_t{0xFFFFFFFCull}}) {
        cpu::philox_unit_floats32(seed, counter, u);
        for (int i = 0; i < cpu::kPhiloxBlock; ++i) {
            const uint64_t element = 4 * (counter - offset) + static_cast<uint64_t>(i);
            ASSERT_EQ(u[i], philox_uniform(seed, offset, element)) << counter << " + " << i;
        }
    }
}

TEST(Philox, CpuKeepRowMatchesTheAttentionKeepRowAtAnyStartAndLength) {
    const uint64_t seed = 0xC0FFEEull, offset = 11;
    for (uint64_t base : {uint64_t{0}, uint64_t{1}, uint64_t{3}, uint64_t{70}, uint64_t{4093}}) {
        for (int64_t n : {0, 1, 5, 31, 32, 35, 100, 257}) {
            std::vector<uint8_t> fast(n), scalar(n);
            cpu::philox_keep_row(fast.data(), seed, offset, base, n, 0.3f);
            attention_keep_row(scalar.data(), seed, offset, base, n, 0.3f);
            ASSERT_EQ(fast, scalar) << "base " << base << " n " << n;
        }
    }
}

}  // namespace
}  // namespace lm::kernels
