#include "core/ops/layer_norm.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/layer_norm_backend.h"

namespace lm::ops {

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

LayerNormGrads layer_norm_backward(const Tensor& x,
                                   const Tensor& w,
                                   const Tensor& mean,
                                   const Tensor& rstd,
                                   const Tensor& dy,
                                   bool need_dw,
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

}  // namespace lm::ops
