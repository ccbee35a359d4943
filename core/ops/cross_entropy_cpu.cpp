// CPU cross-entropy rows: one row per iteration (kernels/cross_entropy.h), rows split across
// threads; the loss total is summed in row order, so it does not depend on the thread count.
#include <vector>

#include "core/base/check.h"
#include "core/base/parallel.h"
#include "core/kernels/cross_entropy.h"
#include "core/ops/cpu_loops.h"
#include "core/ops/cross_entropy_backend.h"
#include "core/ops/dispatch.h"

namespace lm::cpu {

namespace {
void check_targets(const int64_t* t, int64_t rows, int64_t C, int64_t ignore_index) {
    for (int64_t r = 0; r < rows; ++r) {
        LM_CHECK(t[r] == ignore_index || (t[r] >= 0 && t[r] < C), "cross_entropy: target ", t[r],
                 " (row ", r, ") is out of range for ", C, " classes");
    }
}
}  // namespace

double cross_entropy_rows(
    const Tensor& logits, const Tensor& targets, int64_t ignore_index, double eps, int64_t* count) {
    const int64_t rows = logits.size(0), C = logits.size(1);
    const int64_t* t = targets.data<int64_t>();
    check_targets(t, rows, C, ignore_index);
    double total = 0;
    int64_t n = 0;
    dispatch_floating(logits.dtype(), "cross_entropy", [&](auto tag) {
        using T = decltype(tag);
        const T* x = logits.data<T>();
        std::vector<double> loss(rows, 0.0);
        parallel_for(0, rows, row_grain(C), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                if (t[r] != ignore_index) {
                    loss[r] =
                        kernels::cross_entropy_row_forward(x + r * C, t[r], C, static_cast<T>(eps));
                }
            }
        });
        for (int64_t r = 0; r < rows; ++r) {
            if (t[r] == ignore_index) continue;
            total += loss[r];
            ++n;
        }
    });
    *count = n;
    return total;
}

void cross_entropy_rows_backward(const Tensor& dlogits,
                                 const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double eps,
                                 double scale) {
    const int64_t rows = logits.size(0), C = logits.size(1);
    const int64_t* t = targets.data<int64_t>();
    dispatch_floating(logits.dtype(), "cross_entropy backward", [&](auto tag) {
        using T = decltype(tag);
        const T* x = logits.data<T>();
        T* dx = dlogits.data<T>();
        parallel_for(0, rows, row_grain(C), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                if (t[r] == ignore_index) {
                    for (int64_t c = 0; c < C; ++c)
                        dx[r * C + c] = T(0);
                } else {
                    kernels::cross_entropy_row_backward(x + r * C, t[r], C, static_cast<T>(eps),
                                                        static_cast<T>(scale), dx + r * C);
                }
            }
        });
    });
}

}  // namespace lm::cpu
