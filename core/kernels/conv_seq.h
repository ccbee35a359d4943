// Depthwise convolution along the sequence for one (batch, head) slice x[N, D] with filter w[K]
// (zero padding K/2, cross-correlation, as PyTorch's Conv2d with kernel (K, 1), groups = heads):
//   y[i, d]  = sum_t w[t] x[i + t - K/2, d]
//   dx[j, d] = sum_t w[t] dy[j - t + K/2, d]
//   dw[t]    = sum_{i, d} dy[i, d] x[i + t - K/2, d]
#pragma once

#include <cstdint>
#include <cstring>

#include "core/base/hd.h"

namespace lm::kernels {

#if !defined(__CUDACC__)
// Host fast path of conv_seq_row for the leading channels: blocks of 4 GCC vectors (32 floats or
// 16 doubles) held in registers across the taps, so y_row is loaded and stored once per block,
// not once per tap. Advances d0 past the channels it handled. Same summation order as the
// scalar loop.
template <class T>
inline void conv_seq_row_vectors(const T* x,
                                 const T* w,
                                 T* y_row,
                                 int64_t D,
                                 int64_t base,
                                 int64_t dir,
                                 int64_t t0,
                                 int64_t t1,
                                 int64_t* d0) {
    typedef T V __attribute__((vector_size(32)));
    constexpr int64_t kWidth = 32 / sizeof(T), kVecs = 4;
    for (; *d0 + kWidth * kVecs <= D; *d0 += kWidth * kVecs) {
        V acc[kVecs];
        for (int64_t v = 0; v < kVecs; ++v)
            std::memcpy(&acc[v], y_row + *d0 + v * kWidth, sizeof(V));
        for (int64_t t = t0; t < t1; ++t) {
            const T* xr = x + (base + dir * t) * D + *d0;
            const T wt = w[t];
            for (int64_t v = 0; v < kVecs; ++v) {
                V xv;
                std::memcpy(&xv, xr + v * kWidth, sizeof(V));
                acc[v] += wt * xv;
            }
        }
        for (int64_t v = 0; v < kVecs; ++v)
            std::memcpy(y_row + *d0 + v * kWidth, &acc[v], sizeof(V));
    }
}
#endif

// y_row[d] += sum_t w[t] x[src(t), d] with src(t) = i + t - K/2, or i - t + K/2 when `flip`
// (the input gradient), over the taps whose source row lies in [0, N), in order t = 0..K-1.
template <class T>
LM_HD void conv_seq_row(
    const T* x, const T* w, T* y_row, int64_t i, int64_t N, int64_t D, int64_t K, bool flip) {
    const int64_t pad = K / 2;
    const int64_t base = flip ? i + pad : i - pad, dir = flip ? -1 : 1;  // src(t) = base + dir t
    const int64_t lo = flip ? i + pad - (N - 1) : pad - i, hi = flip ? i + pad : N - 1 - i + pad;
    const int64_t t0 = lo > 0 ? lo : 0, t1 = hi + 1 < K ? hi + 1 : K;
    int64_t d0 = 0;
#if !defined(__CUDACC__)
    conv_seq_row_vectors(x, w, y_row, D, base, dir, t0, t1, &d0);
#endif
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

#if !defined(__CUDACC__)
// Every tap's filter gradient for one slice in one pass over row blocks: a block of dy rows and
// the x rows its taps reach stay in L1 while all K taps use them (the per-tap function above
// streams the whole slice K times). Each tap keeps the same kLanes + tail accumulators, filled
// in the same order (rows ascending), so dw[t] equals conv_seq_weight_grad(.., t, ..) bit for
// bit. `lanes` is scratch of K * 32 values.
template <class T>
inline void conv_seq_weight_grad_taps(
    const T* x, const T* dy, int64_t N, int64_t D, int64_t K, T* lanes, T* dw) {
    constexpr int64_t kLanes = 32, kRowBlock = 32;
    const int64_t d_vec = D - D % kLanes;
    std::memset(lanes, 0, sizeof(T) * K * kLanes);
    std::memset(dw, 0, sizeof(T) * K);  // the tails
    for (int64_t r0 = 0; r0 < N; r0 += kRowBlock) {
        for (int64_t t = 0; t < K; ++t) {
            const int64_t shift = t - K / 2;
            const int64_t lo = shift < 0 ? -shift : 0, hi = shift > 0 ? N - shift : N;
            const int64_t i0 = r0 > lo ? r0 : lo;
            const int64_t i1 = r0 + kRowBlock < hi ? r0 + kRowBlock : hi;
            T* lane = lanes + t * kLanes;
            for (int64_t i = i0; i < i1; ++i) {
                const T* gr = dy + i * D;
                const T* xr = x + (i + shift) * D;
                for (int64_t d0 = 0; d0 < d_vec; d0 += kLanes) {
                    LM_SIMD for (int64_t l = 0; l < kLanes; ++l) lane[l] += gr[d0 + l] * xr[d0 + l];
                }
                for (int64_t d = d_vec; d < D; ++d)
                    dw[t] += gr[d] * xr[d];
            }
        }
    }
    for (int64_t t = 0; t < K; ++t)
        for (int64_t l = 0; l < kLanes; ++l)
            dw[t] += lanes[t * kLanes + l];
}
#endif

}  // namespace lm::kernels
