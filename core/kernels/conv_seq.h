// Depthwise convolution along the sequence for one (batch, head) slice x[N, D] with filter w[K]
// (zero padding K/2, cross-correlation, as PyTorch's Conv2d with kernel (K, 1), groups = heads):
//   y[i, d]  = sum_t w[t] x[i + t - K/2, d]
//   dx[j, d] = sum_t w[t] dy[j - t + K/2, d]
//   dw[t]    = sum_{i, d} dy[i, d] x[i + t - K/2, d]
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

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
namespace conv_detail {

inline constexpr int64_t kWeightLanes = 32;

// Rows [a, b) (valid for every tap of the group) of taps t..t+G-1, whose first has x row
// i + shift for dy row i: each tap's lanes and tail, rows ascending. The lanes are held in GCC
// vectors so they stay in registers (through `lanes` the compiler would store and reload them
// every row), and G taps give G independent FMA chains per row.
template <class T, int G, bool kOneChunk>
inline void weight_grad_rows(
    const T* x, const T* dy, int64_t D, int64_t shift, int64_t a, int64_t b, T* lanes, T* tails) {
    typedef T V __attribute__((vector_size(32)));
    constexpr int64_t kWidth = 32 / sizeof(T), kVecs = kWeightLanes / kWidth;
    // kOneChunk: D is exactly one lane set (a head of 32 floats), so the chunk loop and the
    // tail vanish at compile time and the G x kVecs accumulators stay in registers.
    const int64_t d_vec = kOneChunk ? kWeightLanes : D - D % kWeightLanes;
    V acc[G][kVecs];
    T tail[G];
    std::memcpy(acc, lanes, sizeof(acc));
    std::memcpy(tail, tails, sizeof(tail));
    for (int64_t i = a; i < b; ++i) {
        const T* gr = dy + i * D;
        for (int g = 0; g < G; ++g) {
            const T* xr = x + (i + shift + g) * D;
            for (int64_t d0 = 0; d0 < d_vec; d0 += kWeightLanes) {
                for (int64_t v = 0; v < kVecs; ++v) {
                    V gv, xv;
                    std::memcpy(&gv, gr + d0 + v * kWidth, sizeof(V));
                    std::memcpy(&xv, xr + d0 + v * kWidth, sizeof(V));
                    acc[g][v] += gv * xv;  // lane l = v kWidth + j: the same fused multiply-add
                }
            }
            if (kOneChunk) continue;
            for (int64_t d = d_vec; d < D; ++d)
                tail[g] += gr[d] * xr[d];
        }
    }
    std::memcpy(lanes, acc, sizeof(acc));
    std::memcpy(tails, tail, sizeof(tail));
}

}  // namespace conv_detail

// Every tap's filter gradient for one slice in one pass over row blocks: a block of dy rows and
// the x rows its taps reach stay in L1 while all K taps use them (the per-tap function above
// streams the whole slice K times), three taps at a time where their rows overlap. Each tap
// keeps the same kLanes + tail accumulators, filled in the same order (rows ascending), so
// dw[t] equals conv_seq_weight_grad(.., t, ..) bit for bit. `lanes` is scratch of K * 32.
template <class T>
inline void conv_seq_weight_grad_taps(
    const T* x, const T* dy, int64_t N, int64_t D, int64_t K, T* lanes, T* dw) {
    using conv_detail::weight_grad_rows;
    constexpr int64_t kLanes = conv_detail::kWeightLanes, kRowBlock = 32;
    constexpr int kGroup = sizeof(T) == 4 ? 3 : 1;  // 3 x 4 float vectors of lanes
    std::memset(lanes, 0, sizeof(T) * K * kLanes);
    std::memset(dw, 0, sizeof(T) * K);  // the tails
    for (int64_t r0 = 0; r0 < N; r0 += kRowBlock) {
        // rows of this block that tap u reaches: [first(u), last(u))
        const auto first = [&](int64_t u) { return std::max(r0, K / 2 - u); };
        const auto last = [&](int64_t u) { return std::min({r0 + kRowBlock, N, N - u + K / 2}); };
        const auto rows = [&](auto group, int64_t u, int64_t a, int64_t b) {
            constexpr int G = decltype(group)::value;
            T *l = lanes + u * kLanes, *tails = dw + u;
            if (D == kLanes)
                return weight_grad_rows<T, G, true>(x, dy, D, u - K / 2, a, b, l, tails);
            weight_grad_rows<T, G, false>(x, dy, D, u - K / 2, a, b, l, tails);
        };
        const auto single = [&](int64_t u, int64_t a, int64_t b) {
            rows(std::integral_constant<int, 1>{}, u, a, b);
        };
        for (int64_t t = 0; t < K; t += kGroup) {
            const int64_t g = std::min<int64_t>(kGroup, K - t);
            // first() falls and last() falls with the tap: the rows all g taps reach
            const int64_t cs = first(t), ce = last(t + g - 1);
            if (g < kGroup || cs >= ce) {
                for (int64_t u = t; u < t + g; ++u)
                    single(u, first(u), last(u));
                continue;
            }
            for (int64_t u = t; u < t + g; ++u)
                single(u, first(u), cs);
            rows(std::integral_constant<int, kGroup>{}, t, cs, ce);
            for (int64_t u = t; u < t + g; ++u)
                single(u, ce, last(u));
        }
    }
    for (int64_t t = 0; t < K; ++t)
        for (int64_t l = 0; l < kLanes; ++l)
            dw[t] += lanes[t * kLanes + l];
}
#endif

}  // namespace lm::kernels
