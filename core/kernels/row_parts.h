// The generic per-lane pieces of the warp-per-row ("v2") CUDA row kernels. Lane `lane` of
// `lanes` handles elements lane, lane + lanes, ...; the kernel combines the lanes' partials with
// warp shuffles (SumOp / MaxOp), then each lane writes its elements with the per-element formula
// of the sequential row function. Each family's own lane pieces sit next to its row functions
// (softmax.h, layer_norm.h, cross_entropy.h, attention.h); reductions' arg-extrema are here.
//
// The storage type S may be 16-bit (bf16_t / f16_t); the math runs in C (float, or double for
// double storage). tests/kernels/row_parts_test.cpp runs every lane in turn, combines the
// partials the way the shuffles do, and compares with the v1 row functions.
#pragma once

#include <cstdint>
#include <limits>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/half.h"

namespace lm::kernels {

template <class C, class S>
LM_HD C ld(const S* p, int64_t i) {
    return convert<C, S>(p[i]);
}
template <class S, class C>
LM_HD void st(S* p, int64_t i, C v) {
    p[i] = convert<S, C>(v);
}

struct SumOp {
    template <class T>
    LM_HD T operator()(T a, T b) const {
        return a + b;
    }
};
struct MaxOp {
    template <class T>
    LM_HD T operator()(T a, T b) const {
        return b > a ? b : a;
    }
};

template <class C>
LM_HD C neg_inf() {
    return -std::numeric_limits<C>::infinity();
}

// ---- generic lane partials
template <class C, class S>
LM_HD C lane_max(const S* x, int64_t n, int lane, int lanes) {
    C m = neg_inf<C>();
    for (int64_t i = lane; i < n; i += lanes)
        m = MaxOp{}(m, ld<C>(x, i));
    return m;
}
template <class C, class S>
LM_HD C lane_sum(const S* x, int64_t n, int lane, int lanes) {
    C s = 0;
    for (int64_t i = lane; i < n; i += lanes)
        s += ld<C>(x, i);
    return s;
}
// sum of exp(x - m)
template <class C, class S>
LM_HD C lane_sum_exp(const S* x, int64_t n, C m, int lane, int lanes) {
    C s = 0;
    for (int64_t i = lane; i < n; i += lanes)
        s += hd_exp(ld<C>(x, i) - m);
    return s;
}
// sum of a * b
template <class C, class S>
LM_HD C lane_dot(const S* a, const S* b, int64_t n, int lane, int lanes) {
    C s = 0;
    for (int64_t i = lane; i < n; i += lanes)
        s += ld<C>(a, i) * ld<C>(b, i);
    return s;
}

// ---- argmax / argmin with the CPU scan's answer: the first NaN if any, else the first
// position of the extremum. index < 0 marks an empty partial.
template <class T>
struct ArgBest {
    T value;
    int64_t index;
};
template <class T>
LM_HD ArgBest<T> argbest_merge(ArgBest<T> a, ArgBest<T> b, bool is_min) {
    if (a.index < 0) return b;
    if (b.index < 0) return a;
    const bool a_nan = a.value != a.value, b_nan = b.value != b.value;
    if (a_nan || b_nan) {
        if (a_nan && b_nan) return a.index < b.index ? a : b;
        return a_nan ? a : b;
    }
    const bool b_better = is_min ? b.value < a.value : b.value > a.value;
    const bool a_better = is_min ? a.value < b.value : a.value > b.value;
    if (b_better) return b;
    if (a_better) return a;
    return a.index < b.index ? a : b;
}
template <class T>
LM_HD ArgBest<T> lane_argbest(const T* x, int64_t n, bool is_min, int64_t lane, int64_t lanes) {
    ArgBest<T> r{T(0), -1};
    for (int64_t i = lane; i < n; i += lanes)
        r = argbest_merge(r, ArgBest<T>{x[i], i}, is_min);
    return r;
}

}  // namespace lm::kernels
