// Math functions for kernels: double uses libm (gradient checks need full precision); float
// uses branch-free polynomial versions on the host that GCC vectorises (libm's scalar expf,
// tanhf and erff would dominate softmax, GELU and attention), and CUDA's intrinsics on the GPU.
//
// Accuracy of the float versions (measured in tests/kernels/fast_math_test.cpp):
// exp <= 2 ulp, tanh and erf <= 2e-7 absolute.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/base/hd.h"

namespace lm::kernels {

#ifndef __CUDA_ARCH__
inline float bits_to_float(uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}
#endif

// exp(x): Cephes range reduction x = n ln2 + r with a degree-6 polynomial for e^r.
LM_HD float exp_f(float x) {
#ifdef __CUDA_ARCH__
    return expf(x);
#else
    const float hi = 88.72283f, lo = -87.33654f;
    const float xc = x > hi ? hi : (x < lo ? lo : x);
    const float n = std::floor(xc * 1.44269504088896341f + 0.5f);
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    // 2^n as two normal factors: n reaches 128 just below the overflow bound
    const int32_t n1 = static_cast<int32_t>(n) >> 1, n2 = static_cast<int32_t>(n) - n1;
    const float scale1 = bits_to_float(static_cast<uint32_t>(n1 + 127) << 23);
    const float scale2 = bits_to_float(static_cast<uint32_t>(n2 + 127) << 23);
    float out = y * scale1 * scale2;
    out = x > hi ? std::numeric_limits<float>::infinity() : out;
    out = x < lo ? 0.0f : out;
    return x != x ? x : out;
#endif
}

// tanh(x): odd polynomial near 0 (no cancellation), 1 - 2 / (e^{2|x|} + 1) elsewhere.
LM_HD float tanh_f(float x) {
#ifdef __CUDA_ARCH__
    return tanhf(x);
#else
    const float ax = std::fabs(x);
    const float z = x * x;
    const float poly = (((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
                        1.33314422036e-1f) *
                           z -
                       3.33332819422e-1f;
    const float small = x + x * z * poly;
    const float e = exp_f(2.0f * (ax > 9.0f ? 9.0f : ax));
    const float large = std::copysign(1.0f - 2.0f / (e + 1.0f), x);
    return ax < 0.625f ? small : large;
#endif
}

// erf(x): Cephes erff, x T(x^2) below |x| = 1 and 1 - erfc(|x|) = 1 - e^{-x^2} R(1/x^2) / |x|
// above, with separate fits of R below and above |x| = 2.
LM_HD float erf_f(float x) {
#ifdef __CUDA_ARCH__
    return erff(x);
#else
    const float ax = std::fabs(x);
    const float z = x * x;
    float t = 7.853861353153693e-5f;
    t = t * z - 8.010193625184903e-4f;
    t = t * z + 5.188327685732524e-3f;
    t = t * z - 2.685381193529856e-2f;
    t = t * z + 1.128358514861418e-1f;
    t = t * z - 3.761262582423300e-1f;
    t = t * z + 1.128379165726710e0f;
    const float small = x * t;
    const float q = 1.0f / ax, r = q * q;
    float near = 2.326819970068386e-2f;  // 1 <= |x| < 2
    near = near * r - 1.387039388740657e-1f;
    near = near * r + 3.687424674597105e-1f;
    near = near * r - 5.824733027278666e-1f;
    near = near * r + 6.210004621745983e-1f;
    near = near * r - 4.944515323274145e-1f;
    near = near * r + 3.404879937665872e-1f;
    near = near * r - 2.741127028184656e-1f;
    near = near * r + 5.638259427386472e-1f;
    float far = -1.047766399936249e1f;  // |x| >= 2
    far = far * r + 1.297719955371516e1f;
    far = far * r - 7.495518717768503e0f;
    far = far * r + 2.921019019210786e0f;
    far = far * r - 1.015265279202700e0f;
    far = far * r + 4.218463358204948e-1f;
    far = far * r - 2.820767439740514e-1f;
    far = far * r + 5.641895067754075e-1f;
    const float erfc = exp_f(-z) * q * (ax < 2.0f ? near : far);
    const float large = std::copysign(1.0f - erfc, x);
    return ax < 1.0f ? small : large;
#endif
}

// Generic spellings used by templated kernels: float -> fast versions, double -> libm.
LM_HD float hd_exp(float x) {
    return exp_f(x);
}
LM_HD double hd_exp(double x) {
    return std::exp(x);
}
LM_HD float hd_tanh(float x) {
    return tanh_f(x);
}
LM_HD double hd_tanh(double x) {
    return std::tanh(x);
}
LM_HD float hd_erf(float x) {
    return erf_f(x);
}
LM_HD double hd_erf(double x) {
    return std::erf(x);
}
LM_HD float hd_log(float x) {
    return logf(x);
}
LM_HD double hd_log(double x) {
    return std::log(x);
}
LM_HD float hd_log1p(float x) {
    return log1pf(x);
}
LM_HD double hd_log1p(double x) {
    return std::log1p(x);
}
LM_HD float hd_sqrt(float x) {
    return sqrtf(x);
}
LM_HD double hd_sqrt(double x) {
    return std::sqrt(x);
}
LM_HD float hd_pow(float x, float p) {
    return powf(x, p);
}
LM_HD double hd_pow(double x, double p) {
    return std::pow(x, p);
}
LM_HD float hd_expm1(float x) {
    return expm1f(x);
}
LM_HD double hd_expm1(double x) {
    return std::expm1(x);
}

}  // namespace lm::kernels
