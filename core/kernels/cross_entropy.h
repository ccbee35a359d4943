// Cross-entropy of one row of C logits against a target class, with label smoothing eps:
//   loss = lse(x) - (1 - eps) x_t - eps mean(x)
//   dloss/dx_i = softmax(x)_i - (1 - eps) [i == t] - eps / C
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/row_parts.h"
#include "core/kernels/softmax.h"

namespace lm::kernels {

template <class T>
LM_HD T logsumexp_row(const T* x, int64_t C) {
    const T m = row_max(x, C);
    T s = 0;
    for (int64_t i = 0; i < C; ++i)
        s += hd_exp(x[i] - m);
    return m + hd_log(s);
}

template <class T>
LM_HD T cross_entropy_row_forward(const T* x, int64_t target, int64_t C, T eps) {
    const T lse = logsumexp_row(x, C);
    T mean = 0;
    for (int64_t i = 0; i < C; ++i)
        mean += x[i];
    mean /= T(C);
    return lse - (T(1) - eps) * x[target] - eps * mean;
}

// dx = scale * (softmax(x) - (1 - eps) onehot(t) - eps / C)
template <class T>
LM_HD void cross_entropy_row_backward(
    const T* x, int64_t target, int64_t C, T eps, T scale, T* dx) {
    const T lse = logsumexp_row(x, C);
    for (int64_t i = 0; i < C; ++i) {
        const T p = hd_exp(x[i] - lse);
        dx[i] = scale * (p - (i == target ? T(1) - eps : T(0)) - eps / T(C));
    }
}

// ---- per-lane pieces of the warp-per-row kernels (row_parts.h): loss = lse - (1 - eps) x_t - eps
// mean(x)
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

}  // namespace lm::kernels
