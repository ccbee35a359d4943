// Indexing ops (no autograd): index_select / index_add and gather / scatter_add along one dim.
// Indices are int32 or int64; an out-of-range index is an error naming the index and the size.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

// out = x.index_select(dim, index): shape of x with dims[dim] = index.numel().
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
// Returns zeros(shape) with out[.., index[i], ..] += src[.., i, ..] along dim (the backward of
// index_select). Deterministic: each output row sums its contributions in index order.
Tensor index_add(const Shape& shape, int64_t dim, const Tensor& index, const Tensor& src);
// zeros([M, C]) with row rows[i] = src[i] for src [R, C] and distinct rows (int64 [R]): the
// inverse of index_select(x, 0, rows) on those rows; the CPU copies rows in parallel.
Tensor scatter_rows(const Tensor& src, const Tensor& rows, int64_t M);
// out[.., j, ..] = x[.., index[.., j, ..], ..] along dim; index has x's shape except at dim.
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
// zeros(shape) with out[.., index[.., j, ..], ..] += src[.., j, ..] (the backward of gather).
Tensor scatter_add(const Shape& shape, int64_t dim, const Tensor& index, const Tensor& src);

}  // namespace lm::ops
