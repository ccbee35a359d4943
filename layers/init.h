// Parameter initialisers, matching the reference implementation's PyTorch defaults.
#pragma once

#include "core/base/rng.h"
#include "core/tensor/tensor.h"

namespace lm::nn {

// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default for Linear and Conv weights and biases
// (kaiming_uniform with a = sqrt(5) reduces to this bound).
Tensor init_fan_in_uniform(const Shape& shape, int64_t fan_in, Generator& gen);
// N(0, std^2): the reference's init of token and position embeddings (std 0.02).
Tensor init_normal(const Shape& shape, double std, Generator& gen);

}  // namespace lm::nn
