// Backend entry points of the depthwise sequence convolution (conv_seq_cpu.cpp, the cuDNN
// launchers in conv_seq_cuda.cpp); tensors are contiguous, x and y [B, H, N, D], w [H, K].
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w);
void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w);
void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy);
}  // namespace lm::cpu

namespace lm::cuda {
void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w);
void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w);
void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy);
}  // namespace lm::cuda
