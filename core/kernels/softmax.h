// Row softmax and log-softmax, forward and backward, over one contiguous row of n values.
// One definition for the CPU loops (one row per iteration) and CUDA "v1" (one thread per row).
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/lane_reduce.h"

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

}  // namespace lm::kernels
