// CPU softmax rows: one row per iteration (kernels/softmax.h), rows split across threads.
#include "core/base/parallel.h"
#include "core/kernels/softmax.h"
#include "core/ops/cpu_loops.h"
#include "core/ops/dispatch.h"
#include "core/ops/softmax_backend.h"

namespace lm::cpu {

void softmax_rows(const Tensor& y, const Tensor& x, bool log) {
    const int64_t C = x.size(-1), rows = x.numel() / C;
    dispatch_floating(x.dtype(), "softmax", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data<T>();
        T* yp = y.data<T>();
        parallel_for(0, rows, row_grain(C), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                if (log) {
                    kernels::log_softmax_row_forward(xp + r * C, yp + r * C, C);
                } else {
                    kernels::softmax_row_forward(xp + r * C, yp + r * C, C);
                }
            }
        });
    });
}

void softmax_rows_backward(const Tensor& dx, const Tensor& y, const Tensor& dy, bool log) {
    const int64_t C = y.size(-1), rows = y.numel() / C;
    dispatch_floating(y.dtype(), "softmax backward", [&](auto tag) {
        using T = decltype(tag);
        const T* yp = y.data<T>();
        const T* gp = dy.data<T>();
        T* dp = dx.data<T>();
        parallel_for(0, rows, row_grain(C), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                if (log) {
                    kernels::log_softmax_row_backward(yp + r * C, gp + r * C, dp + r * C, C);
                } else {
                    kernels::softmax_row_backward(yp + r * C, gp + r * C, dp + r * C, C);
                }
            }
        });
    });
}

}  // namespace lm::cpu
