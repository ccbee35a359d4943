// CPU launchers of the row-wise kernels: one row per iteration, rows split across threads.
// Parameter gradients of layer norm are summed over fixed row blocks combined in order, so they
// do not depend on the thread count.
#include <vector>

#include "core/base/parallel.h"
#include "core/kernels/cross_entropy.h"
#include "core/kernels/layernorm.h"
#include "core/kernels/softmax.h"
#include "core/ops/dispatch.h"
#include "core/ops/rowwise_impl.h"

namespace lm::cpu {

namespace {
inline constexpr int64_t kRowGrain = 8192;  // elements per task, roughly
inline constexpr int64_t kParamBlockRows = 256;

int64_t row_grain(int64_t C) { return std::max<int64_t>(1, kRowGrain / std::max<int64_t>(C, 1)); }
}  // namespace

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

void layer_norm_rows(const Tensor& y, const Tensor& mean, const Tensor& rstd, const Tensor& x,
                     const Tensor& w, const Tensor& b, double eps) {
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

void layer_norm_rows_backward(const Tensor& dx, const Tensor& dw, const Tensor& db, const Tensor& x,
                              const Tensor& w, const Tensor& mean, const Tensor& rstd,
                              const Tensor& dy) {
    const int64_t C = x.size(-1), rows = x.numel() / C;
    const int64_t blocks = (rows + kParamBlockRows - 1) / kParamBlockRows;
    dispatch_floating(x.dtype(), "layer_norm backward", [&](auto tag) {
        using T = decltype(tag);
        const T *xp = x.data<T>(), *gp = dy.data<T>(), *mp = mean.data<T>(), *rp = rstd.data<T>();
        const T* wp = w.defined() ? w.data<T>() : nullptr;
        T* dxp = dx.data<T>();
        std::vector<T> pw(dw.defined() ? blocks * C : 0, T(0)), pb(db.defined() ? blocks * C : 0, T(0));
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
                for (int64_t blk = 0; blk < blocks; ++blk) s += partial[blk * C + c];
                o[c] = s;
            }
        };
        combine(dw, pw);
        combine(db, pb);
    });
}

namespace {
void check_targets(const int64_t* t, int64_t rows, int64_t C, int64_t ignore_index) {
    for (int64_t r = 0; r < rows; ++r) {
        LM_CHECK(t[r] == ignore_index || (t[r] >= 0 && t[r] < C), "cross_entropy: target ", t[r],
                 " (row ", r, ") is out of range for ", C, " classes");
    }
}
}  // namespace

double cross_entropy_rows(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                          double eps, int64_t* count) {
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
                    loss[r] = kernels::cross_entropy_row_forward(x + r * C, t[r], C, static_cast<T>(eps));
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

void cross_entropy_rows_backward(const Tensor& dlogits, const Tensor& logits, const Tensor& targets,
                                 int64_t ignore_index, double eps, double scale) {
    const int64_t rows = logits.size(0), C = logits.size(1);
    const int64_t* t = targets.data<int64_t>();
    dispatch_floating(logits.dtype(), "cross_entropy backward", [&](auto tag) {
        using T = decltype(tag);
        const T* x = logits.data<T>();
        T* dx = dlogits.data<T>();
        parallel_for(0, rows, row_grain(C), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                if (t[r] == ignore_index) {
                    for (int64_t c = 0; c < C; ++c) dx[r * C + c] = T(0);
                } else {
                    kernels::cross_entropy_row_backward(x + r * C, t[r], C, static_cast<T>(eps),
                                                        static_cast<T>(scale), dx + r * C);
                }
            }
        });
    });
}

}  // namespace lm::cpu
