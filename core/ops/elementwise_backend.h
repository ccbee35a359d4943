// Backend entry points of the element-wise ops. Outputs come first and are allocated by the
// caller (ops/elementwise.cpp); every tensor is on the backend's device.
#pragma once

#include "core/kernels/elementwise.h"
#include "core/tensor/tensor.h"

namespace lm::cpu {
void unary(kernels::UnaryOp op, const Tensor& out, const Tensor& x, double a, double b);
void unary_backward(kernels::UnaryOp op,
                    const Tensor& dx,
                    const Tensor& x,
                    const Tensor& y,
                    const Tensor& dy,
                    double a,
                    double b);
void binary(kernels::BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
void copy(const Tensor& dst, const Tensor& src);
void fill(const Tensor& dst, double value);
}  // namespace lm::cpu

namespace lm::cuda {
void unary(kernels::UnaryOp op, const Tensor& out, const Tensor& x, double a, double b);
void unary_backward(kernels::UnaryOp op,
                    const Tensor& dx,
                    const Tensor& x,
                    const Tensor& y,
                    const Tensor& dy,
                    double a,
                    double b);
void binary(kernels::BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b);
void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b);
void copy(const Tensor& dst, const Tensor& src);
void fill(const Tensor& dst, double value);
}  // namespace lm::cuda
