// Conversions between float and the 16-bit storage types (round to nearest even), shared by the
// CPU cast loop and the CUDA kernels.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/base/hd.h"
#include "core/tensor/dtype.h"

namespace lm::kernels {

LM_HD uint32_t float_bits(float f) {
#ifdef __CUDA_ARCH__
    return __float_as_uint(f);
#else
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
#endif
}

LM_HD float bits_float(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
#endif
}

LM_HD bf16_t float_to_bf16(float f) {
    const uint32_t u = float_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return bf16_t{static_cast<uint16_t>((u >> 16) | 0x40)};
    const uint32_t rounding = 0x7fffu + ((u >> 16) & 1u);
    return bf16_t{static_cast<uint16_t>((u + rounding) >> 16)};
}

LM_HD float bf16_to_float(bf16_t h) {
    return bits_float(static_cast<uint32_t>(h.bits) << 16);
}

LM_HD f16_t float_to_f16(float f) {
    const uint32_t u = float_bits(f);
    const uint32_t sign = (u >> 16) & 0x8000u;
    const uint32_t au = u & 0x7fffffffu;
    if (au >= 0x7f800000u) {  // inf or nan
        return f16_t{static_cast<uint16_t>(sign | 0x7c00u | (au > 0x7f800000u ? 0x200u : 0u))};
    }
    if (au >= 0x477ff000u) return f16_t{static_cast<uint16_t>(sign | 0x7c00u)};  // overflow
    if (au < 0x38800000u) {  // subnormal half (or zero): round the shifted mantissa
        const uint32_t mant = (au & 0x7fffffu) | 0x800000u;
        const int shift = 126 - static_cast<int>(au >> 23);
        if (shift > 24) return f16_t{static_cast<uint16_t>(sign)};
        const uint32_t half = 1u << (shift - 1);
        const uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t h = mant >> shift;
        if (rem > half || (rem == half && (h & 1u))) ++h;
        return f16_t{static_cast<uint16_t>(sign | h)};
    }
    uint32_t h = ((au - 0x38000000u) >> 13);
    const uint32_t rem = au & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
    return f16_t{static_cast<uint16_t>(sign | h)};
}

LM_HD float f16_to_float(f16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h.bits & 0x8000u) << 16;
    const uint32_t exp = (h.bits >> 10) & 0x1fu;
    uint32_t mant = h.bits & 0x3ffu;
    if (exp == 0x1fu) return bits_float(sign | 0x7f800000u | (mant << 13));
    if (exp == 0) {
        if (mant == 0) return bits_float(sign);
        int e = -1;  // normalise the subnormal
        do {
            ++e;
            mant <<= 1;
        } while ((mant & 0x400u) == 0);
        return bits_float(sign | static_cast<uint32_t>(112 - e) << 23 | (mant & 0x3ffu) << 13);
    }
    return bits_float(sign | (exp + 112) << 23 | mant << 13);
}

// Generic element conversion used by casts: every type goes through float or double.
template <class To, class From>
LM_HD To convert(From x) {
    if constexpr (sizeof(From) == 2 && !std::is_integral_v<From>) {
        const float f = [&] {
            if constexpr (std::is_same_v<From, bf16_t>)
                return bf16_to_float(x);
            else
                return f16_to_float(x);
        }();
        return convert<To, float>(f);
    } else if constexpr (std::is_same_v<To, bf16_t>) {
        return float_to_bf16(static_cast<float>(x));
    } else if constexpr (std::is_same_v<To, f16_t>) {
        return float_to_f16(static_cast<float>(x));
    } else if constexpr (std::is_same_v<To, bool>) {
        return x != From(0);
    } else {
        return static_cast<To>(x);
    }
}

}  // namespace lm::kernels
