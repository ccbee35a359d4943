// The depthwise sequence convolution of the Nystrom skip connection (no autograd; the
// differentiable version is in core/autograd/functional.h, its backward in conv_seq_grad.cpp).
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::ops {

// y[B, H, N, D] = depthwise conv of x[B, H, N, D] with w[H, K] along N (K odd).
Tensor conv_seq(const Tensor& x, const Tensor& w);
Tensor conv_seq_backward_input(const Tensor& dy, const Tensor& w);
Tensor conv_seq_backward_weight(const Tensor& x, const Tensor& dy, int64_t K);

}  // namespace lm::ops
