// Row softmax and log-softmax, forward and backward, over one contiguous row of n values.
// One definition for the CPU loops (one row per iteration) and CUDA "v1" (one thread per row).
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"

namespace lm::kernels {

template <class T>
LM_HD T row_max(const T* x, int64_t n) {
    T m = x[0];
    for (int64_t i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
    return m;
}

// y = exp(x - max) / sum(exp(x - max)); subtracting the max keeps exp from overflowing.
template <class T>
LM_HD void softmax_row_forward(const T* x, T* y, int64_t n) {
    const T m = row_max(x, n);
    T s = 0;
    for (int64_t i = 0; i < n; ++i) {
        y[i] = hd_exp(x[i] - m);
        s += y[i];
    }
    const T inv = T(1) / s;
    for (int64_t i = 0; i < n; ++i) y[i] *= inv;
}

// dx = y * (dy - sum(dy * y))
template <class T>
LM_HD void softmax_row_backward(const T* y, const T* dy, T* dx, int64_t n) {
    T dot = 0;
    for (int64_t i = 0; i < n; ++i) dot += dy[i] * y[i];
    for (int64_t i = 0; i < n; ++i) dx[i] = y[i] * (dy[i] - dot);
}

// y = x - max - log(sum(exp(x - max)))
template <class T>
LM_HD void log_softmax_row_forward(const T* x, T* y, int64_t n) {
    const T m = row_max(x, n);
    T s = 0;
    for (int64_t i = 0; i < n; ++i) s += hd_exp(x[i] - m);
    const T lse = m + hd_log(s);
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] - lse;
}

// dx = dy - exp(y) * sum(dy)
template <class T>
LM_HD void log_softmax_row_backward(const T* y, const T* dy, T* dx, int64_t n) {
    T s = 0;
    for (int64_t i = 0; i < n; ++i) s += dy[i];
    for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] - hd_exp(y[i]) * s;
}

}  // namespace lm::kernels
