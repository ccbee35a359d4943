#include "core/ops/elementwise.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise_backend.h"

namespace lm::ops {

Tensor unary(UnaryOp op, const Tensor& x, double a, double b) {
    Tensor out = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), unary, op, out, x, a, b);
    return out;
}

Tensor unary_backward(
    UnaryOp op, const Tensor& x, const Tensor& y, const Tensor& dy, double a, double b) {
    LM_ASSERT(!kernels::unary_grad_needs_input(op) || x.defined(), "unary backward needs x");
    LM_ASSERT(!kernels::unary_grad_needs_output(op) || y.defined(), "unary backward needs y");
    Tensor dx = empty(dy.shape(), dy.dtype(), dy.device());
    LM_DISPATCH_DEVICE(dy.device(), unary_backward, op, dx, x, y, dy, a, b);
    return dx;
}

namespace {
const char* binary_name(BinaryOp op) {
    static const char* names[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum",
                                  "eq",  "ne",  "lt",  "le",  "gt",  "ge"};
    return names[static_cast<int>(op)];
}
}  // namespace

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
    const char* name = binary_name(op);
    check_same_device(a, b, name);
    check_same_dtype(a, b, name);
    const Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
    const DType out_dtype = kernels::is_comparison(op) ? DType::Bool : a.dtype();
    Tensor out = empty(shape, out_dtype, a.device());
    LM_DISPATCH_DEVICE(a.device(), binary, op, out, a, b);
    return out;
}

void binary_into(BinaryOp op, Tensor& out, const Tensor& b) {
    const char* name = binary_name(op);
    LM_CHECK(!kernels::is_comparison(op), name, ": cannot write a comparison in place");
    check_same_device(out, b, name);
    check_same_dtype(out, b, name);
    const Shape shape = broadcast_shapes(out.shape(), b.shape(), name);
    LM_CHECK(shape == out.shape(), name, "_: cannot broadcast ", b.shape().str(), " into ",
             out.shape().str());
    LM_DISPATCH_DEVICE(out.device(), binary, op, out, out, b);
    out.bump_version();
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    LM_CHECK(cond.dtype() == DType::Bool, "where: the condition must be bool, got ",
             dtype_name(cond.dtype()));
    check_same_device(cond, a, "where");
    check_same_device(a, b, "where");
    check_same_dtype(a, b, "where");
    const Shape shape =
        broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(), "where");
    Tensor out = empty(shape, a.dtype(), a.device());
    LM_DISPATCH_DEVICE(a.device(), where, out, cond, a, b);
    return out;
}

void copy_into(const Tensor& dst, const Tensor& src) {
    if (dst.device() != src.device()) {
        // Host <-> device transfers go through the CUDA backend (contiguous both sides).
        LM_CHECK(dst.is_contiguous() && dst.shape() == src.shape(),
                 "copy between devices needs a contiguous destination of the same shape");
        Tensor s = cast(contiguous(src), dst.dtype());
        LM_DISPATCH_DEVICE(Device::cuda(), copy, dst, s);
        dst.bump_version();
        return;
    }
    const Shape shape = broadcast_shapes(dst.shape(), src.shape(), "copy");
    LM_CHECK(shape == dst.shape(), "copy: cannot broadcast ", src.shape().str(), " into ",
             dst.shape().str());
    LM_DISPATCH_DEVICE(dst.device(), copy, dst, src);
    dst.bump_version();
}

Tensor contiguous(const Tensor& x) {
    if (x.is_contiguous()) return x;
    Tensor out = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), copy, out, x);
    return out;
}

Tensor cast(const Tensor& x, DType dtype) {
    if (x.dtype() == dtype) return x;
    Tensor out = empty(x.shape(), dtype, x.device());
    LM_DISPATCH_DEVICE(x.device(), copy, out, x);
    return out;
}

void fill(const Tensor& dst, double value) {
    LM_DISPATCH_DEVICE(dst.device(), fill, dst, value);
    dst.bump_version();
}

}  // namespace lm::ops
