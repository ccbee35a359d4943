// Differentiable softmax and log-softmax (with an optional additive mask).
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/softmax.h"

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

}  // namespace lm
