#include "core/ops/dropout.h"

#include "core/ops/dispatch.h"
#include "core/ops/dropout_backend.h"
#include "core/ops/elementwise.h"

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

}  // namespace lm::ops
