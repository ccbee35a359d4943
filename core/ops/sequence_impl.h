// Backend entry points of the sequence ops; tensors are contiguous.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

#define LM_SEQUENCE_BACKEND_DECLS                                                               \
    void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset); \
    void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w);                           \
    void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w);          \
    void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy);

namespace lm::cpu {
LM_SEQUENCE_BACKEND_DECLS
// CPU only: dropout that also stores its keep mask as bits (int32 words, bit j of word w for
// element 32 w + j; the same Philox draws), and the mask applied from those bits.
void dropout_keep_bits(const Tensor& bits,
                       const Tensor& out,
                       const Tensor& x,
                       double p,
                       uint64_t seed,
                       uint64_t offset);
void dropout_apply_bits(const Tensor& out, const Tensor& x, const Tensor& bits, double p);
}  // namespace lm::cpu

namespace lm::cuda {
LM_SEQUENCE_BACKEND_DECLS
}  // namespace lm::cuda
