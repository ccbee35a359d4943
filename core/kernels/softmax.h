// Row softmax and log-softmax, forward and backward, over one contiguous row of n values.
// One definition for the CPU loops (one row per iteration) and CUDA "v1" (one thread per row).
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/lane_reduce.h"
#include "core/kernels/row_parts.h"

namespace lm::kernels {

// y = exp(x - max) / sum(exp(x - max)); subtracting the max keeps exp from overflowing.
template <class T>
LM_HD void softmax_row_forward(const T* x, T* y, int64_t n) {
    const T m = row_max(x, n);
    for (int64_t i = 0; i < n; ++i)
        y[i] = hd_exp(x[i] - m);
    const T inv = T(1) / row_sum(y, n);
    for (int64_t i = 0; i < n; ++i)
        y[i] *= inv;
}

// dx = y * (dy - sum(dy * y))
template <class T>
LM_HD void softmax_row_backward(const T* y, const T* dy, T* dx, int64_t n) {
    const T dot = row_dot(dy, y, n);
    for (int64_t i = 0; i < n; ++i)
        dx[i] = y[i] * (dy[i] - dot);
}

template <class T>
struct ExpShifted {
    const T* x;
    T shift;
    LM_HD T operator()(int64_t i) const { return hd_exp(x[i] - shift); }
};

// y = x - max - log(sum(exp(x - max)))
template <class T>
LM_HD void log_softmax_row_forward(const T* x, T* y, int64_t n) {
    const T m = row_max(x, n);
    const T lse = m + hd_log(lane_sum<T>(n, ExpShifted<T>{x, m}));
    for (int64_t i = 0; i < n; ++i)
        y[i] = x[i] - lse;
}

// dx = dy - exp(y) * sum(dy)
template <class T>
LM_HD void log_softmax_row_backward(const T* y, const T* dy, T* dx, int64_t n) {
    const T s = row_sum(dy, n);
    for (int64_t i = 0; i < n; ++i)
        dx[i] = dy[i] - hd_exp(y[i]) * s;
}

// ---- per-lane pieces of the warp-per-row kernels (row_parts.h), m = row max, s = sum exp(x - m)
template <class C, class S>
LM_HD void lane_softmax_write(
    const S* x, S* y, int64_t n, C m, C s, bool log, int lane, int lanes) {
    const C inv = C(1) / s, lse = m + hd_log(s);
    for (int64_t i = lane; i < n; i += lanes) {
        const C v = ld<C>(x, i);
        st(y, i, log ? v - lse : hd_exp(v - m) * inv);
    }
}
// softmax: dx = y (dy - dot), dot = sum dy y;  log-softmax: dx = dy - exp(y) s, s = sum dy
template <class C, class S>
LM_HD void lane_softmax_backward_write(
    const S* y, const S* dy, S* dx, int64_t n, C red, bool log, int lane, int lanes) {
    for (int64_t i = lane; i < n; i += lanes) {
        const C yv = ld<C>(y, i), g = ld<C>(dy, i);
        st(dx, i, log ? g - hd_exp(yv) * red : yv * (g - red));
    }
}

}  // namespace lm::kernels
