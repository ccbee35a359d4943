// Strided N-d iteration shared by the CPU loops and the CUDA kernels.
//
// An ElementwisePlan describes NARGS operands of one broadcast shape: sizes[d] and, per operand,
// byte strides[a][d] (0 where the operand is broadcast). Adjacent dims that are contiguous for
// every operand are merged first, so a contiguous op becomes a single flat loop.
#pragma once

#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

inline constexpr int kPlanMaxDims = 8;

template <int NARGS>
struct ElementwisePlan {
    int ndim = 0;
    int64_t numel = 0;
    int64_t sizes[kPlanMaxDims] = {};
    int64_t strides[NARGS][kPlanMaxDims] = {};  // bytes; dim ndim-1 is innermost

    // Byte offset of operand `arg` at a linear (row-major) index: the GPU path, one element at
    // a time. The CPU path walks runs of the innermost dim instead (ops/cpu_loops.h).
    LM_HD int64_t offset(int arg, int64_t linear) const {
        int64_t off = 0;
        for (int d = ndim - 1; d >= 0; --d) {
            const int64_t i = linear % sizes[d];
            linear /= sizes[d];
            off += i * strides[arg][d];
        }
        return off;
    }
};

// Builds a plan from a shape and per-operand element strides (negative dims count from the
// innermost). Size-1 dims are dropped and mergeable neighbours coalesced.
template <int NARGS>
inline ElementwisePlan<NARGS> make_plan(int ndim,
                                        const int64_t* sizes,
                                        const int64_t* const* elem_strides,
                                        const int64_t* elem_sizes) {
    ElementwisePlan<NARGS> p;
    p.numel = 1;
    for (int d = 0; d < ndim; ++d)
        p.numel *= sizes[d];
    for (int d = 0; d < ndim; ++d) {
        if (sizes[d] == 1) continue;
        const int k = p.ndim;
        bool merge = k > 0;
        for (int a = 0; a < NARGS && merge; ++a) {
            merge = p.strides[a][k - 1] == elem_strides[a][d] * elem_sizes[a] * sizes[d];
        }
        if (merge) {
            p.sizes[k - 1] *= sizes[d];
            for (int a = 0; a < NARGS; ++a)
                p.strides[a][k - 1] = elem_strides[a][d] * elem_sizes[a];
        } else {
            p.sizes[k] = sizes[d];
            for (int a = 0; a < NARGS; ++a)
                p.strides[a][k] = elem_strides[a][d] * elem_sizes[a];
            p.ndim = k + 1;
        }
    }
    if (p.ndim == 0) {  // a single element
        p.ndim = 1;
        p.sizes[0] = 1;
        for (int a = 0; a < NARGS; ++a)
            p.strides[a][0] = 0;
    }
    return p;
}

LM_HD int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

}  // namespace lm::kernels
