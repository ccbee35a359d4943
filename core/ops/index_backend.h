// Backend entry points of the indexing ops. Tensors are contiguous and viewed as
// [outer, n, inner] around the indexed dim (n = size of that dim in x or out).
#pragma once

#include "core/tensor/tensor.h"

namespace lm::cpu {
void index_select(const Tensor& out,
                  const Tensor& x,
                  const Tensor& index,
                  int64_t outer,
                  int64_t n,
                  int64_t inner);
void index_add(const Tensor& out,
               const Tensor& src,
               const Tensor& index,
               int64_t outer,
               int64_t n,
               int64_t inner);
void gather(const Tensor& out,
            const Tensor& x,
            const Tensor& index,
            int64_t outer,
            int64_t n,
            int64_t inner);
void scatter_add(const Tensor& out,
                 const Tensor& src,
                 const Tensor& index,
                 int64_t outer,
                 int64_t n,
                 int64_t inner);
// -1 when every index is in [0, n), else the first offending value
int64_t first_bad_index(const Tensor& index, int64_t n);
// out [M, C] = zeros with out[rows[i]] = src[i] (rows distinct, int64); CPU only: the CUDA
// path uses index_add, which equals it for distinct rows.
void scatter_rows(const Tensor& out, const Tensor& src, const Tensor& rows);
}  // namespace lm::cpu

namespace lm::cuda {
void index_select(const Tensor& out,
                  const Tensor& x,
                  const Tensor& index,
                  int64_t outer,
                  int64_t n,
                  int64_t inner);
void index_add(const Tensor& out,
               const Tensor& src,
               const Tensor& index,
               int64_t outer,
               int64_t n,
               int64_t inner);
void gather(const Tensor& out,
            const Tensor& x,
            const Tensor& index,
            int64_t outer,
            int64_t n,
            int64_t inner);
void scatter_add(const Tensor& out,
                 const Tensor& src,
                 const Tensor& index,
                 int64_t outer,
                 int64_t n,
                 int64_t inner);
// -1 when every index is in [0, n), else the first offending value
int64_t first_bad_index(const Tensor& index, int64_t n);
}  // namespace lm::cuda
