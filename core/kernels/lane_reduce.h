// Row reductions with kReduceLanes independent partial sums. A single running float sum is a
// serial dependency chain that GCC may not reorder without -ffast-math, so the loops around it
// (exp in softmax, the layer-norm statistics) stayed scalar; with fixed lanes the inner loop is
// a couple of vector adds per 16 elements. The order is fixed, so results do not depend on the
// thread count or the device (the CUDA v1 row kernels call the same functions).
#pragma once

#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

constexpr int kReduceLanes = 16;

// Pairwise combination of the lanes, then the tail elements in order.
template <class T>
LM_HD T combine_lanes(T (&acc)[kReduceLanes]) {
    for (int width = kReduceLanes / 2; width > 0; width /= 2)
        for (int l = 0; l < width; ++l)
            acc[l] += acc[l + width];
    return acc[0];
}

// sum_i term(i) for a functor term: T(int64_t).
template <class T, class Term>
LM_HD T lane_sum(int64_t n, const Term& term) {
    T acc[kReduceLanes] = {};
    int64_t i = 0;
    for (; i + kReduceLanes <= n; i += kReduceLanes)
        for (int l = 0; l < kReduceLanes; ++l)
            acc[l] += term(i + l);
    T s = combine_lanes(acc);
    for (; i < n; ++i)
        s += term(i);
    return s;
}

template <class T>
struct RowValue {
    const T* x;
    LM_HD T operator()(int64_t i) const { return x[i]; }
};
template <class T>
struct RowProduct {
    const T *a, *b;
    LM_HD T operator()(int64_t i) const { return a[i] * b[i]; }
};
template <class T>
struct RowSquaredDeviation {
    const T* x;
    T mean;
    LM_HD T operator()(int64_t i) const { return (x[i] - mean) * (x[i] - mean); }
};

template <class T>
LM_HD T row_sum(const T* x, int64_t n) {
    return lane_sum<T>(n, RowValue<T>{x});
}
template <class T>
LM_HD T row_dot(const T* a, const T* b, int64_t n) {
    return lane_sum<T>(n, RowProduct<T>{a, b});
}

// max over x[0..n) (n >= 1); a NaN element may or may not win, as with a sequential scan.
template <class T>
LM_HD T row_max(const T* x, int64_t n) {
    T acc[kReduceLanes];
    for (int l = 0; l < kReduceLanes; ++l)
        acc[l] = x[0];
    int64_t i = 0;
    for (; i + kReduceLanes <= n; i += kReduceLanes)
        for (int l = 0; l < kReduceLanes; ++l)
            acc[l] = x[i + l] > acc[l] ? x[i + l] : acc[l];
    for (; i < n; ++i)
        acc[0] = x[i] > acc[0] ? x[i] : acc[0];
    for (int l = 1; l < kReduceLanes; ++l)
        acc[0] = acc[l] > acc[0] ? acc[l] : acc[0];
    return acc[0];
}

}  // namespace lm::kernels
