#include "core/ops/conv_seq.h"

#include "core/ops/conv_seq_backend.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"

namespace lm::ops {

namespace {
void check_conv(const Tensor& x, const Tensor& w) {
    check_floating(x, "depthwise_conv_seq");
    LM_CHECK(x.dim() == 4, "depthwise_conv_seq: x must be [B, H, N, D], got ", x.shape().str());
    LM_CHECK(w.dim() == 2 && w.size(0) == x.size(1),
             "depthwise_conv_seq: weight must be [H, K] with H = ", x.size(1), ", got ",
             w.shape().str());
    LM_CHECK(w.size(1) % 2 == 1, "depthwise_conv_seq: the kernel size must be odd, got ",
             w.size(1));
    check_same_dtype(x, w, "depthwise_conv_seq");
    check_same_device(x, w, "depthwise_conv_seq");
}
}  // namespace

Tensor conv_seq(const Tensor& x, const Tensor& w) {
    check_conv(x, w);
    Tensor y = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), conv_seq, y, contiguous(x), contiguous(w));
    return y;
}

Tensor conv_seq_backward_input(const Tensor& dy, const Tensor& w) {
    Tensor dx = empty(dy.shape(), dy.dtype(), dy.device());
    LM_DISPATCH_DEVICE(dy.device(), conv_seq_backward_input, dx, contiguous(dy), contiguous(w));
    return dx;
}

Tensor conv_seq_backward_weight(const Tensor& x, const Tensor& dy, int64_t K) {
    Tensor dw = empty({x.size(1), K}, x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), conv_seq_backward_weight, dw, contiguous(x), contiguous(dy));
    return dw;
}

}  // namespace lm::ops
