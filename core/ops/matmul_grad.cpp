// Matrix products and their gradients: for Y = A @ B, dA = dY @ B^T and dB = A^T @ dY (batch
// dims that were broadcast are summed back by the engine).
#include "core/autograd/autocast.h"
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/matmul.h"
#include "core/ops/matmul_mixed_grad.h"
#include "core/ops/reduce.h"

namespace lm {

namespace {

Tensor promote_left(const Tensor& a) {
    return a.dim() == 1 ? a.unsqueeze(0) : a;
}
Tensor promote_right(const Tensor& b) {
    return b.dim() == 1 ? b.unsqueeze(-1) : b;
}

// dY reshaped to the product of the promoted operands.
Tensor promoted_grad(const Tensor& dy, const Tensor& ap, const Tensor& bp) {
    Shape lead_a, lead_b;
    for (int d = 0; d + 2 < ap.dim(); ++d)
        lead_a.push_back(ap.size(d));
    for (int d = 0; d + 2 < bp.dim(); ++d)
        lead_b.push_back(bp.size(d));
    Shape shape = broadcast_shapes(lead_a, lead_b, "matmul");
    shape.push_back(ap.size(-2));
    shape.push_back(bp.size(-1));
    return ops::contiguous(dy).detach().view(shape);
}

// dB for a 2-D B and a batched A: one GEMM over all rows, (rows x k)^T @ (rows x n).
Tensor weight_grad_folded(const Tensor& ap, const Tensor& dyp) {
    const Tensor a2 = ops::contiguous(ap).view({-1, ap.size(-1)});
    const Tensor d2 = dyp.view({-1, dyp.size(-1)});
    return ops::matmul(a2.mT(), d2);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    Tensor y = ops::matmul(a, b);
    const bool ga = wants_grad(a), gb = wants_grad(b);
    SavedTensor sa = a, sb = b;
    record("MatmulBackward", {&a, &b}, y, [ga, gb, sa, sb](const Tensor& dy) {
        const Tensor av = sa.get(), bv = sb.get();
        const Tensor ap = promote_left(av), bp = promote_right(bv);
        const Tensor dyp = promoted_grad(dy, ap, bp);
        Tensor da, db;
        if (ga) da = ops::sum_to(ops::matmul(dyp, bp.mT()), ap.shape()).reshape(av.shape());
        if (gb) {
            db = bp.dim() == 2 && ap.dim() > 2 ? weight_grad_folded(ap, dyp)
                                               : ops::sum_to(ops::matmul(ap.mT(), dyp), bp.shape());
            db = db.reshape(bv.shape());
        }
        return std::vector<Tensor>{da, db};
    });
    return y;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    LM_CHECK(weight.dim() == 2, "linear: weight must be 2-D [out, in], got ", weight.shape().str());
    LM_CHECK(x.dim() >= 1 && x.size(-1) == weight.size(1), "linear: input ", x.shape().str(),
             " does not match weight ", weight.shape().str());
    LM_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)),
             "linear: bias ", bias.defined() ? bias.shape().str() : "", " does not match weight ",
             weight.shape().str());
    check_same_device(x, weight, "linear");
    if (bias.defined()) check_same_device(x, bias, "linear");
    // Autocast applies to float32 operands only (float64 gradient checks stay exact).
    if (autocast_enabled() && x.dtype() == DType::Float32 && weight.dtype() == DType::Float32 &&
        (!bias.defined() || bias.dtype() == DType::Float32)) {
        return detail::linear_mixed(x, weight, bias, autocast_dtype());
    }
    const int64_t in = weight.size(1), out_features = weight.size(0);
    const Tensor x2 = ops::contiguous(x).detach().view({-1, in});
    const int64_t rows = x2.size(0);
    Tensor y2 = empty({rows, out_features}, x.dtype(), x.device());
    ops::linear_into(y2, x2, weight.detach(), bias.defined() ? bias.detach() : Tensor());
    Shape out_shape = x.shape();
    out_shape[out_shape.size() - 1] = out_features;
    Tensor y = y2.view(out_shape);
    const bool gx = wants_grad(x), gw = wants_grad(weight), gbias = wants_grad(bias);
    SavedTensor sx = gw ? x2 : Tensor(), sw = gx ? weight : Tensor();
    const Shape x_shape = x.shape();
    record("LinearBackward", {&x, &weight, &bias}, y,
           [gx, gw, gbias, sx, sw, x_shape, out_features](const Tensor& dy) {
               const Tensor d2 = ops::contiguous(dy).detach().view({-1, out_features});
               Tensor dx, dw, db;
               if (gx) dx = ops::matmul(d2, sw.get()).view(x_shape);  // dx = dy W
               if (gw) dw = ops::matmul(d2.mT(), sx.get());           // dW = dy^T x
               if (gbias) db = ops::sum(d2, {0});                     // db = sum_rows dy
               return std::vector<Tensor>{dx, dw, db};
           });
    return y;
}

}  // namespace lm
