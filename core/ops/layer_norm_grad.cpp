// Differentiable layer norm: fused forward and backward kernels.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/layer_norm.h"

namespace lm {

// Saves x, mean and rstd (one value per row) rather than the normalised activations.
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps) {
    ops::LayerNormResult r = ops::layer_norm(x, weight, bias, eps);
    SavedTensor sx = x, sw = weight, sm = r.mean, sr = r.rstd;
    const bool gw = wants_grad(weight), gb = wants_grad(bias);
    record("LayerNormBackward", {&x, &weight, &bias}, r.y,
           [sx, sw, sm, sr, gw, gb](const Tensor& dy) {
               ops::LayerNormGrads g =
                   ops::layer_norm_backward(sx.get(), sw.get(), sm.get(), sr.get(), dy, gw, gb);
               return std::vector<Tensor>{g.dx, g.dw, g.db};
           });
    return r.y;
}

}  // namespace lm
