// Inverted dropout from Philox counters: element i is kept when its uniform draw is >= p, and
// kept values are scaled by 1/(1-p). The mask is a pure function of (seed, offset, i), so the
// backward regenerates it instead of storing it, on any thread count and device.
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/base/philox.h"

namespace lm::kernels {

// Applies the dropout mask to 4 consecutive elements starting at index i4 (a multiple of 4),
// sharing one Philox block; `count` (<= 4) elements are written.
template <class T>
LM_HD void dropout_apply4(
    const T* in, T* out, uint64_t seed, uint64_t offset, uint64_t i4, int count, float p, T scale) {
    const Philox4 r = philox4x32(seed, offset + i4 / 4);
    for (int j = 0; j < count; ++j) {
        const bool keep = uint_to_unit_float(r.v[j]) >= p;
        out[j] = in[j] * (keep ? scale : T(0));  // x * mask * scale: NaN stays NaN, as in torch
    }
}

}  // namespace lm::kernels
