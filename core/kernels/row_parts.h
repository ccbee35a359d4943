// Per-lane pieces of the warp-per-row ("v2") CUDA row kernels. Lane `lane` of `lanes` handles
// elements lane, lane + lanes, ...; the kernel combines the lanes' partials with warp shuffles
// (SumOp / MaxOp), then each lane writes its elements with the per-element formula of the
// sequential row functions (softmax.h, layernorm.h, cross_entropy.h, attention.h).
//
// The storage type S may be 16-bit (bf16_t / f16_t); the math runs in C (float, or double for
// double storage). tests/kernels/row_parts_test.cpp runs every lane in turn, combines the
// partials the way the shuffles do, and compares with the v1 row functions.
#pragma once

#include <cstdint>
#include <limits>

#include "core/base/hd.h"
#include "core/base/philox.h"
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

// ---- softmax / log-softmax (softmax.h), m = row max, s = sum exp(x - m)
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

// ---- layer norm (layernorm.h)
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

// ---- cross-entropy (cross_entropy.h): loss = lse - (1 - eps) x_t - eps mean(x)
template <class C>
LM_HD C cross_entropy_loss(C lse, C x_target, C mean, C eps) {
    return lse - (C(1) - eps) * x_target - eps * mean;
}
template <class C, class S>
LM_HD void lane_cross_entropy_dx_write(
    const S* x, S* dx, int64_t n, int64_t target, C lse, C eps, C scale, int lane, int lanes) {
    for (int64_t i = lane; i < n; i += lanes) {
        const C p = hd_exp(ld<C>(x, i) - lse);
        st(dx, i, scale * (p - (i == target ? C(1) - eps : C(0)) - eps / C(n)));
    }
}

// ---- blocked softmax attention rows (attention.h), in place on a row of scores
template <class T>
LM_HD T lane_add_bias_max(T* s, const T* bias, int64_t n, int lane, int lanes) {
    T m = neg_inf<T>();
    for (int64_t j = lane; j < n; j += lanes) {
        s[j] += bias[j];
        m = MaxOp{}(m, s[j]);
    }
    return m;
}
template <class T>
LM_HD T lane_exp_sum_inplace(T* s, int64_t n, T m, int lane, int lanes) {
    T sum = 0;
    for (int64_t j = lane; j < n; j += lanes) {
        s[j] = hd_exp(s[j] - m);
        sum += s[j];
    }
    return sum;
}
template <class T>
LM_HD void lane_scale_inplace(T* s, int64_t n, T factor, int lane, int lanes) {
    for (int64_t j = lane; j < n; j += lanes)
        s[j] *= factor;
}
template <class T>
LM_HD void lane_probs_from_lse(T* s, const T* bias, T lse, int64_t n, int lane, int lanes) {
    for (int64_t j = lane; j < n; j += lanes)
        s[j] = hd_exp(s[j] + bias[j] - lse);
}
// dS = P (dP - sum(P dP)) in place on dP
template <class T>
LM_HD void lane_softmax_grad_inplace(const T* p, T* g, int64_t n, T dot, int lane, int lanes) {
    for (int64_t j = lane; j < n; j += lanes)
        g[j] = p[j] * (g[j] - dot);
}

// Keep decision of attention-probability element with Philox index `idx` (one element of
// attention_keep_row).
LM_HD bool attention_keep(uint64_t seed, uint64_t offset, uint64_t idx, float p) {
    const Philox4 r = philox4x32(seed, offset + idx / 4);
    return uint_to_unit_float(r.v[idx % 4]) >= p;
}
template <class T>
LM_HD void lane_dropout_inplace(T* s,
                                int64_t n,
                                uint64_t seed,
                                uint64_t offset,
                                uint64_t base,
                                float p,
                                T scale,
                                int lane,
                                int lanes) {
    for (int64_t j = lane; j < n; j += lanes) {
        s[j] =
            attention_keep(seed, offset, base + static_cast<uint64_t>(j), p) ? s[j] * scale : T(0);
    }
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
