// Backend entry points of softmax (softmax_cpu.cpp, softmax_cuda.cu); tensors are contiguous,
// rows = numel / C.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void softmax_rows(const Tensor& y, const Tensor& x, bool log);
void softmax_rows_backward(const Tensor& dx, const Tensor& y, const Tensor& dy, bool log);
}  // namespace lm::cpu

namespace lm::cuda {
void softmax_rows(const Tensor& y, const Tensor& x, bool log);
void softmax_rows_backward(const Tensor& dx, const Tensor& y, const Tensor& dy, bool log);
}  // namespace lm::cuda
