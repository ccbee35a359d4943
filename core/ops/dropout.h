// Inverted dropout with Philox masks (no autograd; the differentiable dropout is in
// core/autograd/functional.h, its backward in dropout_grad.cpp).
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::ops {

// out = x * keep / (1 - p), keep drawn from Philox (seed, offset); also the backward when x = dy.
Tensor dropout(const Tensor& x, double p, uint64_t seed, uint64_t offset);
// The same dropout, also returning its keep mask as bits in `bits` where the backend keeps one
// (the CPU: 1 bit per element, so the backward reads bits instead of redrawing Philox numbers);
// elsewhere `bits` is left undefined. dropout_backward applies the mask again from the bits,
// or regenerates it from (seed, offset) when they are undefined; both equal dropout(dy, ...).
Tensor dropout(const Tensor& x, double p, uint64_t seed, uint64_t offset, Tensor* bits);
Tensor dropout_backward(
    const Tensor& dy, double p, uint64_t seed, uint64_t offset, const Tensor& bits);
// Philox blocks one dropout mask over n elements consumes.
uint64_t dropout_blocks(int64_t n);

}  // namespace lm::ops
