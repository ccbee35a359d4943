// Backend entry points of the reductions. Inputs are contiguous and already laid out as rows.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::cpu {
// out[o] = sum_i x[o, i] for x viewed as [outer, inner]
void sum_rows(const Tensor& out, const Tensor& x, int64_t outer, int64_t inner);
// out[c] = sum_r x[r, c] for x viewed as [rows, cols]
void sum_cols(const Tensor& out, const Tensor& x, int64_t rows, int64_t cols);
// values[o], indices[o] = max (or min) of x[o, :] and its first position
void extremum_rows(const Tensor& values,
                   const Tensor& indices,
                   const Tensor& x,
                   int64_t outer,
                   int64_t inner,
                   bool is_min);
}  // namespace lm::cpu

namespace lm::cuda {
// out[o] = sum_i x[o, i] for x viewed as [outer, inner]
void sum_rows(const Tensor& out, const Tensor& x, int64_t outer, int64_t inner);
// out[c] = sum_r x[r, c] for x viewed as [rows, cols]
void sum_cols(const Tensor& out, const Tensor& x, int64_t rows, int64_t cols);
// values[o], indices[o] = max (or min) of x[o, :] and its first position
void extremum_rows(const Tensor& values,
                   const Tensor& indices,
                   const Tensor& x,
                   int64_t outer,
                   int64_t inner,
                   bool is_min);
}  // namespace lm::cuda
