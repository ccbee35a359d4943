// Backend entry points of cross-entropy (cross_entropy_cpu.cpp, cross_entropy_cuda.cu);
// tensors are contiguous, targets int64.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
// Returns the summed loss over counted rows and their count.
double cross_entropy_rows(
    const Tensor& logits, const Tensor& targets, int64_t ignore_index, double eps, int64_t* count);
void cross_entropy_rows_backward(const Tensor& dlogits,
                                 const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double eps,
                                 double scale);
}  // namespace lm::cpu

namespace lm::cuda {
// Returns the summed loss over counted rows and their count.
double cross_entropy_rows(
    const Tensor& logits, const Tensor& targets, int64_t ignore_index, double eps, int64_t* count);
void cross_entropy_rows_backward(const Tensor& dlogits,
                                 const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double eps,
                                 double scale);
}  // namespace lm::cuda
