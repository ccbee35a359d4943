// float <-> bfloat16 / float16 conversions of kernels/half.h against an independent reference
// (nearest representable value found in double, ties to even): every 16-bit pattern, rounding
// of a dense sample of float bit patterns, subnormals, overflow, infinities and NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/kernels/half.h"

namespace lm::kernels {
namespace {

float from_bits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}
uint32_t to_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

// Value of a non-negative finite float16 pattern, from the IEEE definition.
double f16_value(uint16_t h) {
    const int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    return e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
}

// Correctly rounded float16 of a float: nearest of the two neighbouring patterns, ties to even,
// overflow to infinity past 65504 + half an ulp.
uint16_t f16_reference(float f) {
    const uint16_t sign = std::signbit(f) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(f));
    if (std::isnan(f)) return sign | 0x7e00;
    if (a >= 65520.0) return sign | 0x7c00;  // includes infinity; 65520 ties to even (inf)
    uint16_t lo = 0, hi = 0x7bff;            // binary search for the last pattern <= a
    while (lo < hi) {
        const uint16_t mid = static_cast<uint16_t>((lo + hi + 1) / 2);
        if (f16_value(mid) <= a)
            lo = mid;
        else
            hi = static_cast<uint16_t>(mid - 1);
    }
    const double below = f16_value(lo), above = lo == 0x7bff ? 65536.0 : f16_value(lo + 1);
    const double dl = a - below, du = above - a;
    const uint16_t r = dl < du || (dl == du && (lo & 1) == 0) ? lo : static_cast<uint16_t>(lo + 1);
    return sign | r;
}

// Correctly rounded bfloat16: neighbours are the truncation and the next pattern up.
uint16_t bf16_reference(float f) {
    const uint32_t u = to_bits(f);
    const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000);
    if (std::isnan(f)) return 0;  // not compared bitwise
    if (std::isinf(f)) return sign | 0x7f80;
    const uint32_t au = u & 0x7fffffffu;
    const uint16_t lo = static_cast<uint16_t>(au >> 16);
    const double a = std::fabs(static_cast<double>(f));
    const double below = from_bits(static_cast<uint32_t>(lo) << 16);
    const double above =
        lo == 0x7f7f ? std::ldexp(1.0, 128) : from_bits(static_cast<uint32_t>(lo + 1) << 16);
    const double dl = a - below, du = above - a;
    const uint16_t r = dl < du || (dl == du && (lo & 1) == 0) ? lo : static_cast<uint16_t>(lo + 1);
    return sign | r;
}

TEST(Half, Float16DecodesEveryPattern) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const float f = f16_to_float(f16_t{static_cast<uint16_t>(h)});
        const int e = (h >> 10) & 0x1f;
        const bool neg = h & 0x8000;
        if (e == 0x1f) {
            if (h & 0x3ff) {
                ASSERT_TRUE(std::isnan(f)) << std::hex << h;
            } else {
                ASSERT_EQ(f, neg ? -std::numeric_limits<float>::infinity()
                                 : std::numeric_limits<float>::infinity());
            }
            continue;
        }
        const double v = f16_value(static_cast<uint16_t>(h & 0x7fff));
        ASSERT_EQ(static_cast<double>(f), neg ? -v : v) << std::hex << h;
        ASSERT_EQ(std::signbit(f), neg) << std::hex << h;
    }
}

TEST(Half, Float16RoundTripsEveryPattern) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const f16_t in{static_cast<uint16_t>(h)};
        const f16_t out = float_to_f16(f16_to_float(in));
        if (((h >> 10) & 0x1f) == 0x1f && (h & 0x3ff)) {  // NaN stays NaN, sign kept
            ASSERT_EQ(out.bits & 0x7c00, 0x7c00) << std::hex << h;
            ASSERT_NE(out.bits & 0x3ff, 0) << std::hex << h;
            ASSERT_EQ(out.bits & 0x8000, h & 0x8000) << std::hex << h;
        } else {
            ASSERT_EQ(out.bits, h) << std::hex << h;
        }
    }
}

TEST(Half, BFloat16RoundTripsEveryPattern) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const bf16_t in{static_cast<uint16_t>(h)};
        const float f = bf16_to_float(in);
        ASSERT_EQ(to_bits(f), h << 16);  // bfloat16 is the top half of a float
        const bf16_t out = float_to_bf16(f);
        if (std::isnan(f)) {
            ASSERT_TRUE(std::isnan(bf16_to_float(out))) << std::hex << h;
            ASSERT_EQ(out.bits & 0x8000, h & 0x8000) << std::hex << h;
        } else {
            ASSERT_EQ(out.bits, h) << std::hex << h;
        }
    }
}

// Every 4099th float bit pattern (about a million, all exponents) plus the patterns around
// every float16 and bfloat16 rounding boundary.
std::vector<uint32_t> sample_float_patterns() {
    std::vector<uint32_t> out;
    for (uint64_t u = 0; u <= 0xffffffffull; u += 4099)
        out.push_back(static_cast<uint32_t>(u));
    for (uint32_t h = 0; h < 0x8000; h += 3) {  // bfloat16 midpoints and neighbours
        const uint32_t mid = (h << 16) | 0x8000;
        for (uint32_t d : {mid - 1, mid, mid + 1}) {
            out.push_back(d);
            out.push_back(d | 0x80000000u);
        }
    }
    for (uint32_t h = 0; h < 0x7c00; ++h) {  // float16 midpoints (exactly representable)
        const double mid = (f16_value(static_cast<uint16_t>(h)) +
                            (h == 0x7bff ? 65536.0 : f16_value(static_cast<uint16_t>(h + 1)))) /
                           2;
        const uint32_t m = to_bits(static_cast<float>(mid));
        for (uint32_t d : {m - 1, m, m + 1}) {
            out.push_back(d);
            out.push_back(d | 0x80000000u);
        }
    }
    return out;
}

TEST(Half, RoundsToNearestEven) {
    for (uint32_t u : sample_float_patterns()) {
        const float f = from_bits(u);
        if (std::isnan(f)) {
            ASSERT_TRUE(std::isnan(f16_to_float(float_to_f16(f)))) << std::hex << u;
            ASSERT_TRUE(std::isnan(bf16_to_float(float_to_bf16(f)))) << std::hex << u;
            continue;
        }
        ASSERT_EQ(float_to_f16(f).bits, f16_reference(f))
            << "f16 of " << f << " (" << std::hex << u << ")";
        ASSERT_EQ(float_to_bf16(f).bits, bf16_reference(f))
            << "bf16 of " << f << " (" << std::hex << u << ")";
    }
}

TEST(Half, SpecialValues) {
    // ties to even: 1 + 2^-8 lies halfway between bfloat16 1 and 1 + 2^-7
    EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8)).bits, 0x3f80);
    EXPECT_EQ(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)).bits, 0x3f82);
    EXPECT_EQ(float_to_f16(1.0f + std::ldexp(1.0f, -11)).bits, 0x3c00);
    EXPECT_EQ(float_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)).bits, 0x3c02);
    // float16 overflow and its subnormals
    EXPECT_EQ(float_to_f16(65504.0f).bits, 0x7bff);
    EXPECT_EQ(float_to_f16(65519.0f).bits, 0x7bff);
    EXPECT_EQ(float_to_f16(65520.0f).bits, 0x7c00);
    EXPECT_EQ(float_to_f16(-1e10f).bits, 0xfc00);
    EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -24)).bits, 0x0001);  // smallest subnormal
    EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -25)).bits, 0x0000);  // tie to even: zero
    EXPECT_EQ(float_to_f16(std::ldexp(1.5f, -25)).bits, 0x0001);
    EXPECT_EQ(float_to_f16(std::ldexp(3.0f, -25)).bits, 0x0002);  // 1.5 ulp: tie to even (2)
    EXPECT_EQ(float_to_f16(-0.0f).bits, 0x8000);
    EXPECT_EQ(f16_to_float(f16_t{0x0001}), std::ldexp(1.0f, -24));
    EXPECT_EQ(f16_to_float(f16_t{0x03ff}), std::ldexp(1023.0f, -24));  // largest subnormal
    // bfloat16: overflow to infinity, NaN stays quiet NaN
    EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()).bits, 0x7f80);
    EXPECT_EQ(float_to_bf16(-std::numeric_limits<float>::infinity()).bits, 0xff80);
    EXPECT_EQ(float_to_bf16(from_bits(0x7f800001u)).bits & 0x7fc0, 0x7fc0);  // sNaN -> qNaN
    EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::denorm_min()).bits, 0x0000);
    EXPECT_EQ(float_to_bf16(from_bits(0x00010000u)).bits, 0x0001);  // bfloat16 subnormal
}

TEST(Half, GenericConvert) {
    EXPECT_EQ(convert<float>(float_to_bf16(2.5f)), 2.5f);
    EXPECT_EQ(convert<double>(float_to_f16(-0.75f)), -0.75);
    EXPECT_EQ(convert<bf16_t>(3.0).bits, float_to_bf16(3.0f).bits);
    EXPECT_EQ(convert<f16_t>(int64_t{7}).bits, float_to_f16(7.0f).bits);
    EXPECT_EQ(convert<int32_t>(float_to_f16(-3.0f)), -3);
    EXPECT_EQ(convert<bool>(0.5), true);
    EXPECT_EQ(convert<bool>(0.0f), false);
    EXPECT_EQ(convert<bool>(float_to_bf16(0.0f)), false);
    EXPECT_EQ(convert<float>(true), 1.0f);
}

}  // namespace
}  // namespace lm::kernels
