// Depthwise convolution along the sequence for one (batch, head) slice x[N, D] with filter w[K]
// (zero padding K/2, cross-correlation, as PyTorch's Conv2d with kernel (K, 1), groups = heads):
//   y[i, d]  = sum_t w[t] x[i + t - K/2, d]
//   dx[j, d] = sum_t w[t] dy[j - t + K/2, d]
//   dw[t]    = sum_{i, d} dy[i, d] x[i + t - K/2, d]
#pragma once

#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

// y_row[d] += sum_t w[t] x[src(t), d] with src(t) = i + t - K/2, or i - t + K/2 when `flip`
// (the input gradient), over the taps whose source row lies in [0, N), in order t = 0..K-1 for
// every d. The d loop runs in blocks of kConvLanes register accumulators, so y_row is loaded and
// stored once per block rather than once per tap.
template <class T>
LM_HD void conv_seq_row(
    const T* x, const T* w, T* y_row, int64_t i, int64_t N, int64_t D, int64_t K, bool flip) {
    constexpr int64_t kConvLanes = 16;
    const int64_t pad = K / 2;
    const int64_t base = flip ? i + pad : i - pad, dir = flip ? -1 : 1;  // src(t) = base + dir t
    const int64_t lo = flip ? i + pad - (N - 1) : pad - i, hi = flip ? i + pad : N - 1 - i + pad;
    const int64_t t0 = lo > 0 ? lo : 0, t1 = hi + 1 < K ? hi + 1 : K;
    int64_t d0 = 0;
    for (; d0 + kConvLanes <= D; d0 += kConvLanes) {
        T acc[kConvLanes];
        LM_SIMD for (int64_t l = 0; l < kConvLanes; ++l) acc[l] = y_row[d0 + l];
        for (int64_t t = t0; t < t1; ++t) {
            const T wt = w[t];
            const T* xr = x + (base + dir * t) * D + d0;
            LM_SIMD for (int64_t l = 0; l < kConvLanes; ++l) acc[l] += wt * xr[l];
        }
        LM_SIMD for (int64_t l = 0; l < kConvLanes; ++l) y_row[d0 + l] = acc[l];
    }
    for (; d0 < D; ++d0) {
        T acc = y_row[d0];
        for (int64_t t = t0; t < t1; ++t)
            acc += w[t] * x[(base + dir * t) * D + d0];
        y_row[d0] = acc;
    }
}

// Output row i (D values), accumulated into y (y must start at zero or hold a sum to add to).
template <class T>
LM_HD void conv_seq_row_forward(
    const T* x, const T* w, T* y_row, int64_t i, int64_t N, int64_t D, int64_t K) {
    conv_seq_row(x, w, y_row, i, N, D, K, false);
}

// Input-gradient row j, accumulated into dx_row.
template <class T>
LM_HD void conv_seq_row_backward_input(
    const T* dy, const T* w, T* dx_row, int64_t j, int64_t N, int64_t D, int64_t K) {
    conv_seq_row(dy, w, dx_row, j, N, D, K, true);
}

// Filter-gradient tap t for one slice. The products are summed in kLanes independent
// accumulators (one per d mod kLanes) and folded at the end: a single running sum is a serial
// chain the compiler may not reorder, so it would neither vectorise nor pipeline.
template <class T>
LM_HD T conv_seq_weight_grad(const T* x, const T* dy, int64_t t, int64_t N, int64_t D, int64_t K) {
    constexpr int64_t kLanes = 32;
    const int64_t shift = t - K / 2;
    const int64_t i0 = shift < 0 ? -shift : 0, i1 = shift > 0 ? N - shift : N;
    const int64_t d_vec = D - D % kLanes;
    T lanes[kLanes] = {};
    T tail = 0;
    for (int64_t i = i0; i < i1; ++i) {
        const T* gr = dy + i * D;
        const T* xr = x + (i + shift) * D;
        for (int64_t d0 = 0; d0 < d_vec; d0 += kLanes) {
            LM_SIMD for (int64_t l = 0; l < kLanes; ++l) lanes[l] += gr[d0 + l] * xr[d0 + l];
        }
        for (int64_t d = d_vec; d < D; ++d)
            tail += gr[d] * xr[d];
    }
    for (int64_t l = 0; l < kLanes; ++l)
        tail += lanes[l];
    return tail;
}

}  // namespace lm::kernels
