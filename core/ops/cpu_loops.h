// CPU loop drivers over an ElementwisePlan: the linear index range is split into chunks across
// threads, and each chunk is walked as runs of the innermost dimension. A run functor receives
// byte pointers and byte strides of its operands and the run length, so a contiguous run can
// be a plain vectorisable loop.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/base/parallel.h"
#include "core/kernels/index.h"

namespace lm::cpu {

inline constexpr int64_t kElementwiseGrain = 32768;

// Rows per task of a row-wise kernel over rows of C values: about 8192 elements per task.
inline int64_t row_grain(int64_t C) {
    constexpr int64_t kRowGrain = 8192;
    return std::max<int64_t>(1, kRowGrain / std::max<int64_t>(C, 1));
}

template <int N, class Run>
void for_each_run(const kernels::ElementwisePlan<N>& p, char* const* base, const Run& run) {
    if (p.numel == 0) return;
    const int nd = p.ndim;
    const int64_t inner = p.sizes[nd - 1];
    parallel_for(0, p.numel, kElementwiseGrain, [&](int64_t begin, int64_t end) {
        int64_t idx[kernels::kPlanMaxDims];
        int64_t rem = begin;
        for (int d = nd - 1; d >= 0; --d) {
            idx[d] = rem % p.sizes[d];
            rem /= p.sizes[d];
        }
        char* ptr[N];
        for (int a = 0; a < N; ++a) {
            int64_t off = 0;
            for (int d = 0; d < nd; ++d)
                off += idx[d] * p.strides[a][d];
            ptr[a] = base[a] + off;
        }
        int64_t inner_stride[N];
        for (int a = 0; a < N; ++a)
            inner_stride[a] = p.strides[a][nd - 1];
        int64_t pos = begin;
        while (pos < end) {
            const int64_t count = std::min(inner - idx[nd - 1], end - pos);
            run(ptr, inner_stride, count);
            pos += count;
            // advance: the innermost index moves by `count`, carrying into outer dims
            idx[nd - 1] += count;
            for (int a = 0; a < N; ++a)
                ptr[a] += count * inner_stride[a];
            for (int d = nd - 1; d > 0 && idx[d] == p.sizes[d]; --d) {
                idx[d] = 0;
                ++idx[d - 1];
                for (int a = 0; a < N; ++a) {
                    ptr[a] += p.strides[a][d - 1] - p.sizes[d] * p.strides[a][d];
                }
            }
        }
    });
}

// Whether every operand of a run is densely packed (byte stride == element size).
template <int N>
inline bool run_is_dense(const int64_t* stride, const int64_t* elem_size) {
    for (int a = 0; a < N; ++a) {
        if (stride[a] != elem_size[a]) return false;
    }
    return true;
}

}  // namespace lm::cpu
