// Backend entry points of the random fills (contiguous floating tensors).
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::cpu {
void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset);
void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset);
}  // namespace lm::cpu

namespace lm::cuda {
void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset);
void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset);
}  // namespace lm::cuda
