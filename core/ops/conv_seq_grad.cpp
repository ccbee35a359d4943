// Differentiable depthwise sequence convolution (the Nystrom skip connection).
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/conv_seq.h"

namespace lm {

Tensor depthwise_conv_seq(const Tensor& x, const Tensor& weight) {
    Tensor y = ops::conv_seq(x, weight);
    const bool gx = wants_grad(x), gw = wants_grad(weight);
    SavedTensor sx = gw ? x : Tensor(), sw = weight;
    const int64_t K = weight.size(1);
    record("DepthwiseConvSeqBackward", {&x, &weight}, y, [gx, gw, sx, sw, K](const Tensor& dy) {
        Tensor dx = gx ? ops::conv_seq_backward_input(dy, sw.get()) : Tensor();
        Tensor dw = gw ? ops::conv_seq_backward_weight(sx.get(), dy, K) : Tensor();
        return std::vector<Tensor>{dx, dw};
    });
    return y;
}

}  // namespace lm
