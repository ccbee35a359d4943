// Layer norm over one row of C values (llm.c's layernorm_forward/backward as row functions).
//   forward:  mean, rstd = 1/sqrt(var + eps), y = (x - mean) * rstd * w + b
//   backward: xhat = (x - mean) rstd, g = dy * w,
//             dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), dw += dy * xhat, db += dy
// w and b may be null (no affine transform).
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/lane_reduce.h"
#include "core/kernels/row_parts.h"

namespace lm::kernels {

template <class T>
LM_HD void layernorm_row_forward(
    const T* x, const T* w, const T* b, T* y, T* mean_out, T* rstd_out, int64_t C, T eps) {
    const T mean = row_sum(x, C) / T(C);
    const T var = lane_sum<T>(C, RowSquaredDeviation<T>{x, mean}) / T(C);
    const T rstd = T(1) / hd_sqrt(var + eps);
    if (w && b) {  // the usual affine case, vectorised (the null checks stay out of the loop)
        LM_SIMD for (int64_t i = 0; i < C; ++i) y[i] = (x[i] - mean) * rstd * w[i] + b[i];
    } else {
        for (int64_t i = 0; i < C; ++i) {
            const T xhat = (x[i] - mean) * rstd;
            y[i] = xhat * (w ? w[i] : T(1)) + (b ? b[i] : T(0));
        }
    }
    *mean_out = mean;
    *rstd_out = rstd;
}

// g_i = dy_i w_i, times xhat_i = (x_i - mean) rstd when times_xhat: the two sums of the backward.
template <class T>
struct LayerNormGrad {
    const T *x, *w, *dy;
    T mean, rstd;
    bool times_xhat;
    LM_HD T operator()(int64_t i) const {
        const T g = dy[i] * (w ? w[i] : T(1));
        return times_xhat ? g * ((x[i] - mean) * rstd) : g;
    }
};

// Writes dx (overwrite) and accumulates dw, db (may be null).
template <class T>
LM_HD void layernorm_row_backward(
    const T* x, const T* w, const T* dy, T mean, T rstd, T* dx, T* dw, T* db, int64_t C) {
    const T mean_g = lane_sum<T>(C, LayerNormGrad<T>{x, w, dy, mean, rstd, false}) / T(C);
    const T mean_gx = lane_sum<T>(C, LayerNormGrad<T>{x, w, dy, mean, rstd, true}) / T(C);
    // Separate loops with the null checks outside: with them inside (and dx, dw, db possibly
    // aliasing for all the compiler knows) GCC left this loop scalar. Same formulas per element.
    if (w) {
        LM_SIMD for (int64_t i = 0; i < C; ++i) {
            const T xhat = (x[i] - mean) * rstd;
            dx[i] = rstd * (dy[i] * w[i] - mean_g - xhat * mean_gx);
        }
    } else {
        LM_SIMD for (int64_t i = 0; i < C; ++i) {
            const T xhat = (x[i] - mean) * rstd;
            dx[i] = rstd * (dy[i] * T(1) - mean_g - xhat * mean_gx);
        }
    }
    if (dw) {
        LM_SIMD for (int64_t i = 0; i < C; ++i) dw[i] += dy[i] * ((x[i] - mean) * rstd);
    }
    if (db) {
        LM_SIMD for (int64_t i = 0; i < C; ++i) db[i] += dy[i];
    }
}

// ---- per-lane pieces of the warp-per-row kernels (row_parts.h)
template <class C, class S>
LM_HD C lane_sq_dev(const S* x, int64_t n, C mean, int lane, int lanes) {
    C s = 0;
    for (int64_t i = lane; i < n; i += lanes) {
        const C d = ld<C>(x, i) - mean;
        s += d * d;
    }
    return s;
}
template <class C, class S>
LM_HD void lane_layernorm_write(
    const S* x, const S* w, const S* b, S* y, int64_t n, C mean, C rstd, int lane, int lanes) {
    for (int64_t i = lane; i < n; i += lanes) {
        const C xhat = (ld<C>(x, i) - mean) * rstd;
        st(y, i, xhat * (w ? ld<C>(w, i) : C(1)) + (b ? ld<C>(b, i) : C(0)));
    }
}
template <class C>
struct LnGradSums {
    C g = 0, gx = 0;  // sum of g = dy w and of g xhat
};
template <class C, class S>
LM_HD LnGradSums<C> lane_layernorm_grad_sums(
    const S* x, const S* w, const S* dy, int64_t n, C mean, C rstd, int lane, int lanes) {
    LnGradSums<C> r;
    for (int64_t i = lane; i < n; i += lanes) {
        const C xhat = (ld<C>(x, i) - mean) * rstd;
        const C g = ld<C>(dy, i) * (w ? ld<C>(w, i) : C(1));
        r.g += g;
        r.gx += g * xhat;
    }
    return r;
}
// dx = rstd (g - mean(g) - xhat mean(g xhat))
template <class C>
LM_HD C layernorm_dx_elem(C g, C xhat, C mean_g, C mean_gx, C rstd) {
    return rstd * (g - mean_g - xhat * mean_gx);
}
template <class C, class S>
LM_HD void lane_layernorm_dx_write(const S* x,
                                   const S* w,
                                   const S* dy,
                                   S* dx,
                                   int64_t n,
                                   C mean,
                                   C rstd,
                                   LnGradSums<C> sums,
                                   int lane,
                                   int lanes) {
    const C mean_g = sums.g / C(n), mean_gx = sums.gx / C(n);
    for (int64_t i = lane; i < n; i += lanes) {
        const C xhat = (ld<C>(x, i) - mean) * rstd;
        const C g = ld<C>(dy, i) * (w ? ld<C>(w, i) : C(1));
        st(dx, i, layernorm_dx_elem(g, xhat, mean_g, mean_gx, rstd));
    }
}

}  // namespace lm::kernels
