// Sequence-model ops (no autograd): dropout with regenerated masks and the depthwise sequence
// convolution of the Nystrom skip connection.
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

// y[B, H, N, D] = depthwise conv of x[B, H, N, D] with w[H, K] along N (K odd).
Tensor conv_seq(const Tensor& x, const Tensor& w);
Tensor conv_seq_backward_input(const Tensor& dy, const Tensor& w);
Tensor conv_seq_backward_weight(const Tensor& x, const Tensor& dy, int64_t K);

}  // namespace lm::ops
