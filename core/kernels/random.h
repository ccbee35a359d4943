// Per-element random values from Philox counters, shared by the CPU loops and CUDA kernels.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/base/hd.h"
#include "core/base/philox.h"

namespace lm::kernels {

// Element i of a normal draw: block offset + i/2 gives two uniforms per pair of elements;
// Box-Muller turns them into two normals, element i takes the one of its parity.
template <class T>
LM_HD T philox_normal(uint64_t seed, uint64_t offset, uint64_t i) {
    const Philox4 r = philox4x32(seed, offset + i / 2);
    const double u1 = 1.0 - uints_to_unit_double(r.v[0], r.v[1]);  // (0, 1]: log is finite
    const double u2 = uints_to_unit_double(r.v[2], r.v[3]);
    const double radius = sqrt(-2.0 * log(u1));
    const double angle = 6.283185307179586 * u2;
    return static_cast<T>((i % 2 == 0) ? radius * cos(angle) : radius * sin(angle));
}

template <class T>
LM_HD T philox_uniform_value(uint64_t seed, uint64_t offset, uint64_t i) {
    if constexpr (sizeof(T) == 8)
        return static_cast<T>(philox_uniform_double(seed, offset, i));
    else
        return static_cast<T>(philox_uniform(seed, offset, i));
}

}  // namespace lm::kernels
