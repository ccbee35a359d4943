// Element-wise ops on tensors (no autograd): unary math with its backward, broadcasting binary
// ops and comparisons, copies, casts, fills and where. Outputs are new contiguous tensors unless
// the name ends in `_into` or `_`.
#pragma once

#include "core/kernels/elementwise.h"
#include "core/tensor/tensor.h"

namespace lm::ops {

using kernels::BinaryOp;
using kernels::UnaryOp;

// y = f(x) for a floating x (Neg, Abs, Sign, Square, Affine, Clamp, Relu also accept integers).
Tensor unary(UnaryOp op, const Tensor& x, double a = 0, double b = 0);
// dx = dy * f'(x); pass the saved x and/or y the op needs (kernels::unary_grad_needs_*).
Tensor unary_backward(
    UnaryOp op, const Tensor& x, const Tensor& y, const Tensor& dy, double a = 0, double b = 0);

// a (op) b with NumPy broadcasting; comparisons return Bool. Both operands share a dtype.
Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);
// out = out (op) b, with b broadcast to out's shape; out may be a strided view.
void binary_into(BinaryOp op, Tensor& out, const Tensor& b);

// cond ? a : b, broadcasting all three; cond is Bool.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// Copies src into dst (broadcasting src, converting dtype); dst may be a strided view.
void copy_into(const Tensor& dst, const Tensor& src);
Tensor contiguous(const Tensor& x);         // x itself when already contiguous
Tensor cast(const Tensor& x, DType dtype);  // x itself when the dtype matches
void fill(const Tensor& dst, double value);

}  // namespace lm::ops
