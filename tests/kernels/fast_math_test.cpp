// The fast float exp/tanh/erf of kernels/fast_math.h against libm (in double, rounded once) over
// dense sweeps, plus their behaviour on NaN, infinities and the edges of the float range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/kernels/fast_math.h"

namespace lm::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Floats mapped to integers that are consecutive in value order, so ulps are a difference.
int64_t ordered(float f) {
    int32_t i;
    std::memcpy(&i, &f, sizeof i);
    return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : i;
}
int64_t ulp_distance(float a, float b) {
    return std::llabs(ordered(a) - ordered(b));
}

float exp_ref(float x) {
    return static_cast<float>(std::exp(static_cast<double>(x)));
}

// Worst ulp error of exp_f over `n` + 1 evenly spaced points of [lo, hi].
int64_t worst_exp_ulp(float lo, float hi, int64_t n, float* worst_x) {
    int64_t worst = 0;
    for (int64_t i = 0; i <= n; ++i) {
        const float x = lo + (hi - lo) * static_cast<float>(static_cast<double>(i) / n);
        const int64_t d = ulp_distance(exp_f(x), exp_ref(x));
        if (d > worst) {
            worst = d;
            *worst_x = x;
        }
    }
    return worst;
}

TEST(FastMath, ExpWithinTwoUlp) {
    float at = 0;
    EXPECT_LE(worst_exp_ulp(-87.0f, 88.0f, 4000000, &at), 2) << "at x = " << at;
    // every float of one binade on each side of 0, where the polynomial alone does the work
    int64_t worst = 0;
    for (float x = 1.0f / 128; x <= 1.0f / 64; x = std::nextafter(x, kInf)) {
        worst = std::max(
            {worst, ulp_distance(exp_f(x), exp_ref(x)), ulp_distance(exp_f(-x), exp_ref(-x))});
    }
    EXPECT_LE(worst, 2);
}

TEST(FastMath, ExpNearOverflowStaysFinite) {
    // e^x is finite up to log(FLT_MAX) = 88.7228391; the last float below it is 88.72283f.
    float at = 0;
    EXPECT_LE(worst_exp_ulp(88.0f, 88.72283f, 100000, &at), 2) << "at x = " << at;
    EXPECT_TRUE(std::isfinite(exp_f(88.72283f)));
    EXPECT_EQ(exp_f(88.73f), kInf);
    EXPECT_EQ(exp_f(1000.0f), kInf);
}

TEST(FastMath, ExpUnderflowFlushesBelowFltMin) {
    // Below -87.34 the result would be subnormal; exp_f returns 0 there (error < FLT_MIN).
    for (float x = -110.0f; x <= -87.0f; x += 0.001f) {
        ASSERT_LE(std::fabs(exp_f(x) - exp_ref(x)), std::numeric_limits<float>::min()) << x;
        ASSERT_GE(exp_f(x), 0.0f);
    }
    EXPECT_EQ(exp_f(-1000.0f), 0.0f);
}

TEST(FastMath, TanhAndErfWithinTwoE7Absolute) {
    const int64_t n = 4000000;
    double worst_tanh = 0, worst_erf = 0;
    float at_tanh = 0, at_erf = 0;
    for (int64_t i = 0; i <= n; ++i) {
        const float x = -10.0f + 20.0f * static_cast<float>(static_cast<double>(i) / n);
        const double et = std::fabs(tanh_f(x) - std::tanh(static_cast<double>(x)));
        const double ee = std::fabs(erf_f(x) - std::erf(static_cast<double>(x)));
        if (et > worst_tanh) {
            worst_tanh = et;
            at_tanh = x;
        }
        if (ee > worst_erf) {
            worst_erf = ee;
            at_erf = x;
        }
    }
    EXPECT_LE(worst_tanh, 2e-7) << "tanh at x = " << at_tanh;
    EXPECT_LE(worst_erf, 2e-7) << "erf at x = " << at_erf;
}

TEST(FastMath, TanhAndErfAreOdd) {
    for (float x = 0.0f; x < 12.0f; x += 0.0137f) {
        ASSERT_EQ(tanh_f(-x), -tanh_f(x)) << x;
        ASSERT_EQ(erf_f(-x), -erf_f(x)) << x;
    }
    EXPECT_EQ(tanh_f(1e-20f), 1e-20f);  // tanh x = x to float precision near 0
    EXPECT_EQ(tanh_f(0.0f), 0.0f);
    EXPECT_EQ(erf_f(0.0f), 0.0f);
}

TEST(FastMath, NanAndInfinity) {
    EXPECT_TRUE(std::isnan(exp_f(kNaN)));
    EXPECT_TRUE(std::isnan(tanh_f(kNaN)));
    EXPECT_TRUE(std::isnan(erf_f(kNaN)));
    EXPECT_EQ(exp_f(kInf), kInf);
    EXPECT_EQ(exp_f(-kInf), 0.0f);
    EXPECT_NEAR(tanh_f(kInf), 1.0f, 2e-7);
    EXPECT_NEAR(tanh_f(-kInf), -1.0f, 2e-7);
    EXPECT_EQ(erf_f(kInf), 1.0f);
    EXPECT_EQ(erf_f(-kInf), -1.0f);
}

TEST(FastMath, DoubleSpellingsAreLibm) {
    for (double x : {-3.5, -0.25, 0.0, 1e-9, 0.7, 2.0, 30.0}) {
        EXPECT_EQ(hd_exp(x), std::exp(x));
        EXPECT_EQ(hd_tanh(x), std::tanh(x));
        EXPECT_EQ(hd_erf(x), std::erf(x));
        EXPECT_EQ(hd_expm1(x), std::expm1(x));
    }
    EXPECT_EQ(hd_exp(1.5f), exp_f(1.5f));
    EXPECT_EQ(hd_tanh(1.5f), tanh_f(1.5f));
    EXPECT_EQ(hd_erf(1.5f), erf_f(1.5f));
}

}  // namespace
}  // namespace lm::kernels
