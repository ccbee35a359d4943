// Random fills from Philox counters: element i of a draw depends only on (seed, offset, i).
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::ops {

// Fills a contiguous float tensor: uniform in [lo, hi) or normal N(mean, std).
void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset);
void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset);
// Philox blocks a draw of n elements reserves (so consecutive draws never overlap).
uint64_t philox_blocks_for(int64_t n, bool normal);

}  // namespace lm::ops
