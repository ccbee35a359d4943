// CPU landmark means of Nystrom attention (kernels/nystrom.h), one landmark row per iteration.
#include "core/base/parallel.h"
#include "core/kernels/nystrom.h"
#include "core/ops/dispatch.h"
#include "core/ops/nystrom_backend.h"

namespace lm::cpu {

// Landmark j of slice s: the mean of the rows of x at order[b, bounds[b, j] .. bounds[b, j+1])
// with b = s / H (kernels::landmark_mean_at, one row at a time).
void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds) {
    const int64_t S = x.size(0), N = x.size(1), D = x.size(2), M = out.size(1);
    const int64_t H = S / order.size(0);
    const int64_t* ord = order.data<int64_t>();
    const int64_t* bnd = bounds.data<int64_t>();
    dispatch_floating(x.dtype(), "landmark_mean", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data<T>();
        T* op = out.data<T>();
        parallel_for(0, S * M, 16, [&](int64_t begin, int64_t end) {
            for (int64_t sj = begin; sj < end; ++sj) {
                const int64_t s = sj / M, j = sj % M, b = s / H;
                const int64_t lo = bnd[b * (M + 1) + j], hi = bnd[b * (M + 1) + j + 1];
                const T* src = xp + s * N * D;
                const int64_t* rows = ord + b * N;
                T* dst = op + sj * D;
                for (int64_t d = 0; d < D; ++d)
                    dst[d] = 0;
                for (int64_t r = lo; r < hi; ++r) {
                    const T* row = src + rows[r] * D;
                    for (int64_t d = 0; d < D; ++d)
                        dst[d] += row[d];
                }
                const T scale = kernels::landmark_scale<T>(lo, hi);
                for (int64_t d = 0; d < D; ++d)
                    dst[d] *= scale;
            }
        });
    });
}

// dx[s, i] += dl[s, j] / |segment j| for the landmark j = segment[b, i] of position i.
void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds) {
    const int64_t S = dx.size(0), N = dx.size(1), D = dx.size(2), M = dl.size(1);
    const int64_t H = S / segment.size(0);
    const int64_t* seg = segment.data<int64_t>();
    const int64_t* bnd = bounds.data<int64_t>();
    dispatch_floating(dl.dtype(), "landmark_mean backward", [&](auto tag) {
        using T = decltype(tag);
        const T* gp = dl.data<T>();
        T* dp = dx.data<T>();
        parallel_for(0, S * N, 256, [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                const int64_t s = r / N, i = r % N, b = s / H, j = seg[b * N + i];
                if (j < 0) continue;
                const int64_t* bj = bnd + b * (M + 1) + j;
                const T scale = kernels::landmark_scale<T>(bj[0], bj[1]);
                const T* src = gp + (s * M + j) * D;
                T* dst = dp + r * D;
                for (int64_t d = 0; d < D; ++d)
                    dst[d] += src[d] * scale;
            }
        });
    });
}

}  // namespace lm::cpu
