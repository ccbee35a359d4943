// Backend entry points of dropout (dropout_cpu.cpp, dropout_cuda.cu); tensors are contiguous.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset);
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
void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset);
}  // namespace lm::cuda
