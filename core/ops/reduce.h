// Reductions (no autograd). Sums accumulate in double for float inputs and combine fixed-size
// blocks in a fixed order, so results do not depend on the thread count.
#pragma once

#include <utility>

#include "core/tensor/tensor.h"

namespace lm::ops {

// Sum over `dims` (all dims when empty); keepdim leaves them as size 1.
Tensor sum(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
// Maximum along one dim: values and int64 indices of the first maximum (NaN counts as maximum).
std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
std::pair<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);
// Sums a broadcast tensor back to `shape` (the inverse of broadcasting to x.shape()).
Tensor sum_to(const Tensor& x, const Shape& shape);
// Sorted, de-duplicated, non-negative dims (all of them when `dims` is empty).
Dims normalize_reduce_dims(const Dims& dims, int ndim, const char* op);

}  // namespace lm::ops
