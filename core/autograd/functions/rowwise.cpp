// Row-wise functions with fused forward and backward kernels: softmax, log-softmax, layer norm,
// cross-entropy.
#include "core/autograd/functional.h"
#include "core/autograd/functions/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/rowwise.h"

namespace lm {

namespace {
// x + mask with the mask broadcast; the mask is a constant (no gradient flows into it).
Tensor with_mask(const Tensor& x, const Tensor& mask) {
    if (!mask.defined()) return x;
    const Shape shape = broadcast_shapes(x.shape(), mask.shape(), "softmax mask");
    LM_CHECK(shape == x.shape(), "softmax: mask of shape ", mask.shape().str(),
             " does not broadcast to the input ", x.shape().str());
    return ops::binary(ops::BinaryOp::Add, x, ops::cast(mask, x.dtype()));
}
}  // namespace

// y = softmax(x + mask); dx = y (dy - sum(dy y))
Tensor softmax(const Tensor& x, const Tensor& mask) {
    Tensor y = ops::softmax(with_mask(x, mask));
    SavedTensor sy = y;
    record("SoftmaxBackward", {&x}, y, [sy](const Tensor& dy) {
        return std::vector<Tensor>{ops::softmax_backward(sy.get(), dy)};
    });
    return y;
}

// y = log_softmax(x + mask); dx = dy - exp(y) sum(dy)
Tensor log_softmax(const Tensor& x, const Tensor& mask) {
    Tensor y = ops::log_softmax(with_mask(x, mask));
    SavedTensor sy = y;
    record("LogSoftmaxBackward", {&x}, y, [sy](const Tensor& dy) {
        return std::vector<Tensor>{ops::log_softmax_backward(sy.get(), dy)};
    });
    return y;
}

// Saves x, mean and rstd (one value per row) rather than the normalised activations.
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps) {
    ops::LayerNormResult r = ops::layer_norm(x, weight, bias, eps);
    SavedTensor sx = x, sw = weight, sm = r.mean, sr = r.rstd;
    const bool gw = wants_grad(weight), gb = wants_grad(bias);
    record("LayerNormBackward", {&x, &weight, &bias}, r.y, [sx, sw, sm, sr, gw, gb](const Tensor& dy) {
        ops::LayerNormGrads g =
            ops::layer_norm_backward(sx.get(), sw.get(), sm.get(), sr.get(), dy, gw, gb);
        return std::vector<Tensor>{g.dx, g.dw, g.db};
    });
    return r.y;
}

// loss = mean over counted rows of lse(x) - (1 - eps) x_t - eps mean(x)
Tensor cross_entropy(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                     double label_smoothing) {
    ops::CrossEntropyResult r = ops::cross_entropy(logits, targets, ignore_index, label_smoothing);
    SavedTensor sx = logits, st = targets;
    const int64_t count = r.count;
    record("CrossEntropyBackward", {&logits}, r.loss,
           [sx, st, count, ignore_index, label_smoothing](const Tensor& dy) {
               const double scale = count > 0 ? dy.item() / static_cast<double>(count) : 0.0;
               return std::vector<Tensor>{ops::cross_entropy_backward(
                   sx.get(), st.get(), ignore_index, label_smoothing, scale)};
           });
    return r.loss;
}

}  // namespace lm
