// CPU layer norm rows: one row per iteration (kernels/layer_norm.h), rows split across threads.
// The parameter gradients are summed over fixed row blocks combined in order, so they do not
// depend on the thread count.
#include <algorithm>
#include <vector>

#include "core/base/parallel.h"
#include "core/kernels/layer_norm.h"
#include "core/ops/cpu_loops.h"
#include "core/ops/dispatch.h"
#include "core/ops/layer_norm_backend.h"

namespace lm::cpu {

namespace {
inline constexpr int64_t kParamBlockRows = 256;
}  // namespace

void layer_norm_rows(const Tensor& y,
                     const Tensor& mean,
                     const Tensor& rstd,
                     const Tensor& x,
                     const Tensor& w,
                     const Tensor& b,
                     double eps) {
    const int64_t C = x.size(-1), rows = x.numel() / C;
    dispatch_floating(x.dtype(), "layer_norm", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data<T>();
        const T* wp = w.defined() ? w.data<T>() : nullptr;
        const T* bp = b.defined() ? b.data<T>() : nullptr;
        T *yp = y.data<T>(), *mp = mean.data<T>(), *rp = rstd.data<T>();
        parallel_for(0, rows, row_grain(C), [&](int64_t lo, int64_t hi) {
            for (int64_t r = lo; r < hi; ++r) {
                kernels::layernorm_row_forward(xp + r * C, wp, bp, yp + r * C, mp + r, rp + r, C,
                                               static_cast<T>(eps));
            }
        });
    });
}

void layer_norm_rows_backward(const Tensor& dx,
                              const Tensor& dw,
                              const Tensor& db,
                              const Tensor& x,
                              const Tensor& w,
                              const Tensor& mean,
                              const Tensor& rstd,
                              const Tensor& dy) {
    const int64_t C = x.size(-1), rows = x.numel() / C;
    const int64_t blocks = (rows + kParamBlockRows - 1) / kParamBlockRows;
    dispatch_floating(x.dtype(), "layer_norm backward", [&](auto tag) {
        using T = decltype(tag);
        const T *xp = x.data<T>(), *gp = dy.data<T>(), *mp = mean.data<T>(), *rp = rstd.data<T>();
        const T* wp = w.defined() ? w.data<T>() : nullptr;
        T* dxp = dx.data<T>();
        std::vector<T> pw(dw.defined() ? blocks * C : 0, T(0)),
            pb(db.defined() ? blocks * C : 0, T(0));
        parallel_for(0, blocks, 1, [&](int64_t b0, int64_t b1) {
            for (int64_t blk = b0; blk < b1; ++blk) {
                T* bw = dw.defined() ? pw.data() + blk * C : nullptr;
                T* bb = db.defined() ? pb.data() + blk * C : nullptr;
                const int64_t r1 = std::min(rows, (blk + 1) * kParamBlockRows);
                for (int64_t r = blk * kParamBlockRows; r < r1; ++r) {
                    kernels::layernorm_row_backward(xp + r * C, wp, gp + r * C, mp[r], rp[r],
                                                    dxp + r * C, bw, bb, C);
                }
            }
        });
        auto combine = [&](const Tensor& out, const std::vector<T>& partial) {
            if (!out.defined()) return;
            T* o = out.data<T>();
            for (int64_t c = 0; c < C; ++c) {
                T s = 0;
                for (int64_t blk = 0; blk < blocks; ++blk)
                    s += partial[blk * C + c];
                o[c] = s;
            }
        };
        combine(dw, pw);
        combine(db, pb);
    });
}

}  // namespace lm::cpu
