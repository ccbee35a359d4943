// Backend entry points of the sequence ops; tensors are contiguous.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

#define LM_SEQUENCE_BACKEND_DECLS                                                              \
    void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset); \
    void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w);                          \
    void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w);         \
    void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy);

namespace lm::cpu {
LM_SEQUENCE_BACKEND_DECLS
}  // namespace lm::cpu

namespace lm::cuda {
LM_SEQUENCE_BACKEND_DECLS
}  // namespace lm::cuda
