#include "core/ops/matmul_mixed_grad.h"

#include "core/autograd/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/matmul_mixed.h"
#include "core/ops/reduce.h"
#include "core/tensor/factory.h"

namespace lm::detail {

Tensor linear_mixed(const Tensor& x, const Tensor& weight, const Tensor& bias, DType half) {
    const int64_t in = weight.size(1), out_features = weight.size(0);
    // The rounded operands are what the backward saves, as autocast saves its casts.
    const Tensor x16 = ops::cast(ops::contiguous(x).detach().view({-1, in}), half);
    const Tensor w16 = ops::cast(weight.detach(), half);
    Tensor y2 = empty({x16.size(0), out_features}, DType::Float32, x.device());
    double beta = 0.0;
    if (bias.defined()) {
        ops::copy_into(y2, bias);  // the float32 bias in every row, then accumulate
        beta = 1.0;
    }
    ops::gemm_mixed_into(y2.unsqueeze(0), x16.unsqueeze(0), w16.mT().unsqueeze(0), 1.0, beta);
    Shape out_shape = x.shape();
    out_shape[out_shape.size() - 1] = out_features;
    Tensor y = y2.view(out_shape);
    const bool gx = wants_grad(x), gw = wants_grad(weight), gbias = wants_grad(bias);
    SavedTensor sx = gw ? x16 : Tensor(), sw = gx ? w16 : Tensor();
    const Shape x_shape = x.shape();
    record("LinearMixedBackward", {&x, &weight, &bias}, y,
           [gx, gw, gbias, sx, sw, x_shape, out_features, half](const Tensor& dy) {
               const Tensor d16 =
                   ops::cast(ops::contiguous(dy).detach().view({-1, out_features}), half);
               Tensor dx, dw, db;
               if (gx) dx = ops::matmul_mixed(d16, sw.get()).view(x_shape);  // dy W
               if (gw) dw = ops::matmul_mixed(d16.mT(), sx.get());           // dy^T x
               if (gbias) db = ops::sum(ops::cast(d16, DType::Float32), {0});
               return std::vector<Tensor>{dx, dw, db};
           });
    return y;
}

}  // namespace lm::detail
