// Landmark means of Nystrom attention, shared by the CPU loop and the CUDA kernels.
#pragma once

#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

// Landmark means (ops::LandmarkSegments): landmark j of an example averages the rows at
// order[bounds[j] .. bounds[j+1]); an empty segment gives a zero landmark.

// 1 / |segment| for the ranks [lo, hi), 0 for an empty one.
template <class T>
LM_HD T landmark_scale(int64_t lo, int64_t hi) {
    return hi > lo ? T(1) / static_cast<T>(hi - lo) : T(0);
}

// Element d of a landmark: the mean of x[order[r] * D + d] over r in [lo, hi).
template <class T>
LM_HD T
landmark_mean_at(const T* x, const int64_t* order, int64_t lo, int64_t hi, int64_t D, int64_t d) {
    T acc = 0;
    for (int64_t r = lo; r < hi; ++r)
        acc += x[order[r] * D + d];
    return acc * landmark_scale<T>(lo, hi);
}

// The gradient a position receives from landmark j's row dl (element d), 0 when it has none.
template <class T>
LM_HD T landmark_mean_grad_at(const T* dl, const int64_t* bounds, int64_t j, int64_t D, int64_t d) {
    return j < 0 ? T(0) : dl[j * D + d] * landmark_scale<T>(bounds[j], bounds[j + 1]);
}

}  // namespace lm::kernels
