#include "core/ops/sequence.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/sequence_impl.h"

namespace lm::ops {

uint64_t dropout_blocks(int64_t n) {
    return static_cast<uint64_t>((n + 3) / 4);
}

Tensor dropout(const Tensor& x_in, double p, uint64_t seed, uint64_t offset) {
    check_floating(x_in, "dropout");
    LM_CHECK(p >= 0 && p < 1, "dropout: p must be in [0, 1), got ", p);
    const Tensor x = contiguous(x_in);
    Tensor out = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), dropout, out, x, p, seed, offset);
    return out;
}

Tensor dropout(const Tensor& x_in, double p, uint64_t seed, uint64_t offset, Tensor* bits) {
    if (!x_in.device().is_cpu()) return dropout(x_in, p, seed, offset);
    check_floating(x_in, "dropout");
    LM_CHECK(p >= 0 && p < 1, "dropout: p must be in [0, 1), got ", p);
    const Tensor x = contiguous(x_in);
    Tensor out = empty(x.shape(), x.dtype(), x.device());
    *bits = empty({(x.numel() + 31) / 32}, DType::Int32, x.device());
    cpu::dropout_keep_bits(*bits, out, x, p, seed, offset);
    return out;
}

Tensor dropout_backward(
    const Tensor& dy_in, double p, uint64_t seed, uint64_t offset, const Tensor& bits) {
    if (!bits.defined()) return dropout(dy_in, p, seed, offset);
    const Tensor dy = contiguous(dy_in);
    LM_CHECK(bits.numel() == (dy.numel() + 31) / 32, "dropout backward: ", bits.numel(),
             " mask words for ", dy.numel(), " elements");
    Tensor dx = empty(dy.shape(), dy.dtype(), dy.device());
    cpu::dropout_apply_bits(dx, dy, bits, p);
    return dx;
}

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
