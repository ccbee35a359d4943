// Row helpers of the blocked softmax attention, shared by the CPU kernels and the CUDA kernels.
//   s_ij = scale q_i . k_j + mask_value (1 - mask_j),  p_ij = exp(s_ij - lse_i)
//   dropout: element (slice, i, j) of the probability matrix has Philox index
//   (slice N + i) N + j; kept elements are scaled by 1 / (1 - p).
#pragma once

#include <cstdint>

#include "core/base/hd.h"
#include "core/base/philox.h"
#include "core/kernels/fast_math.h"
#include "core/kernels/row_parts.h"

namespace lm::kernels {

// In place: row of raw scores (already scaled) -> probabilities; returns the log-sum-exp.
template <class T>
LM_HD T attention_row_softmax(T* s, const T* key_bias, int64_t n) {
    T mx = s[0] + key_bias[0];
    for (int64_t j = 0; j < n; ++j) {
        s[j] += key_bias[j];
        mx = s[j] > mx ? s[j] : mx;
    }
    T sum = 0;
    for (int64_t j = 0; j < n; ++j) {
        s[j] = hd_exp(s[j] - mx);
        sum += s[j];
    }
    const T inv = T(1) / sum;
    for (int64_t j = 0; j < n; ++j)
        s[j] *= inv;
    return mx + hd_log(sum);
}

// In place: row of raw scores -> probabilities from a saved log-sum-exp.
template <class T>
LM_HD void attention_row_probs(T* s, const T* key_bias, T lse, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        s[j] = hd_exp(s[j] + key_bias[j] - lse);
}

// keep[j] for the n elements starting at Philox index `base` (one block per 4 indices).
LM_HD void attention_keep_row(
    uint8_t* keep, uint64_t seed, uint64_t offset, uint64_t base, int64_t n, float p) {
    int64_t j = 0;
    while (j < n) {
        const uint64_t idx = base + static_cast<uint64_t>(j);
        const Philox4 r = philox4x32(seed, offset + idx / 4);
        for (uint64_t lane = idx % 4; lane < 4 && j < n; ++lane, ++j) {
            keep[j] = uint_to_unit_float(r.v[lane]) >= p;
        }
    }
}

// ---- per-lane pieces of the warp-per-row kernels (row_parts.h), in place on a row of scores
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

}  // namespace lm::kernels
