#include "core/ops/rowwise.h"

#include <limits>

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/rowwise_impl.h"

namespace lm::ops {

namespace {
Tensor softmax_impl(const Tensor& x_in, bool log, const char* op) {
    check_floating(x_in, op);
    LM_CHECK(x_in.dim() >= 1 && x_in.size(-1) > 0, op, ": expected a non-empty last dim, got ",
             x_in.shape().str());
    const Tensor x = contiguous(x_in);
    Tensor y = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), softmax_rows, y, x, log);
    return y;
}

Tensor softmax_backward_impl(const Tensor& y, const Tensor& dy_in, bool log) {
    const Tensor dy = contiguous(dy_in);
    Tensor dx = empty(y.shape(), y.dtype(), y.device());
    LM_DISPATCH_DEVICE(y.device(), softmax_rows_backward, dx, contiguous(y), dy, log);
    return dx;
}
}  // namespace

Tensor softmax(const Tensor& x) { return softmax_impl(x, false, "softmax"); }
Tensor log_softmax(const Tensor& x) { return softmax_impl(x, true, "log_softmax"); }
Tensor softmax_backward(const Tensor& y, const Tensor& dy) {
    return softmax_backward_impl(y, dy, false);
}
Tensor log_softmax_backward(const Tensor& y, const Tensor& dy) {
    return softmax_backward_impl(y, dy, true);
}

LayerNormResult layer_norm(const Tensor& x_in, const Tensor& w, const Tensor& b, double eps) {
    check_floating(x_in, "layer_norm");
    LM_CHECK(x_in.dim() >= 1, "layer_norm: expected at least 1 dim");
    const int64_t C = x_in.size(-1);
    for (const Tensor* p : {&w, &b}) {
        if (!p->defined()) continue;
        LM_CHECK(p->dim() == 1 && p->size(0) == C, "layer_norm: parameter of shape ",
                 p->shape().str(), " does not match the normalised size ", C);
        check_same_dtype(x_in, *p, "layer_norm");
        check_same_device(x_in, *p, "layer_norm");
    }
    const Tensor x = contiguous(x_in);
    Shape stat_shape = x.shape();
    stat_shape.erase(stat_shape.size() - 1);
    LayerNormResult r{empty(x.shape(), x.dtype(), x.device()),
                      empty(stat_shape, x.dtype(), x.device()),
                      empty(stat_shape, x.dtype(), x.device())};
    LM_DISPATCH_DEVICE(x.device(), layer_norm_rows, r.y, r.mean, r.rstd, x,
                       w.defined() ? contiguous(w) : w, b.defined() ? contiguous(b) : b, eps);
    return r;
}

LayerNormGrads layer_norm_backward(const Tensor& x, const Tensor& w, const Tensor& mean,
                                   const Tensor& rstd, const Tensor& dy, bool need_dw,
                                   bool need_db) {
    const int64_t C = x.size(-1);
    LayerNormGrads g;
    g.dx = empty(x.shape(), x.dtype(), x.device());
    if (need_dw) g.dw = empty({C}, x.dtype(), x.device());
    if (need_db) g.db = empty({C}, x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), layer_norm_rows_backward, g.dx, g.dw, g.db, contiguous(x),
                       w.defined() ? contiguous(w) : w, mean, rstd, contiguous(dy));
    return g;
}

namespace {
void check_cross_entropy(const Tensor& logits, const Tensor& targets) {
    check_floating(logits, "cross_entropy");
    LM_CHECK(logits.dim() == 2, "cross_entropy: logits must be [N, C], got ", logits.shape().str());
    LM_CHECK(targets.dtype() == DType::Int64 || targets.dtype() == DType::Int32,
             "cross_entropy: targets must be int32 or int64, got ", dtype_name(targets.dtype()));
    LM_CHECK(targets.dim() == 1 && targets.size(0) == logits.size(0), "cross_entropy: targets ",
             targets.shape().str(), " do not match logits ", logits.shape().str());
    check_same_device(logits, targets, "cross_entropy");
}
}  // namespace

CrossEntropyResult cross_entropy(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                                 double label_smoothing) {
    check_cross_entropy(logits, targets);
    LM_CHECK(label_smoothing >= 0 && label_smoothing <= 1,
             "cross_entropy: label_smoothing must be in [0, 1], got ", label_smoothing);
    int64_t count = 0;
    const double total = LM_DISPATCH_DEVICE(logits.device(), cross_entropy_rows, contiguous(logits),
                                            contiguous(ops::cast(targets, DType::Int64)),
                                            ignore_index, label_smoothing, &count);
    const double mean = count > 0 ? total / static_cast<double>(count)
                                  : std::numeric_limits<double>::quiet_NaN();
    Tensor loss = empty({}, logits.dtype(), logits.device());
    fill(loss, mean);
    return {loss, count};
}

Tensor cross_entropy_backward(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                              double label_smoothing, double scale) {
    Tensor dx = empty(logits.shape(), logits.dtype(), logits.device());
    LM_DISPATCH_DEVICE(logits.device(), cross_entropy_rows_backward, dx, contiguous(logits),
                       contiguous(ops::cast(targets, DType::Int64)), ignore_index, label_smoothing,
                       scale);
    return dx;
}

}  // namespace lm::ops
