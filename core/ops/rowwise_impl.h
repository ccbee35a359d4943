// Backend entry points of the row-wise ops; every tensor is contiguous, rows = numel / C.
#pragma once

#include "core/tensor/tensor.h"

#define LM_ROWWISE_BACKEND_DECLS                                                                 \
    void softmax_rows(const Tensor& y, const Tensor& x, bool log);                              \
    void softmax_rows_backward(const Tensor& dx, const Tensor& y, const Tensor& dy, bool log);  \
    void layer_norm_rows(const Tensor& y, const Tensor& mean, const Tensor& rstd, const Tensor& x, \
                         const Tensor& w, const Tensor& b, double eps);                          \
    /* dw, db may be undefined; they are overwritten */                                        \
    void layer_norm_rows_backward(const Tensor& dx, const Tensor& dw, const Tensor& db,         \
                                  const Tensor& x, const Tensor& w, const Tensor& mean,         \
                                  const Tensor& rstd, const Tensor& dy);                        \
    /* returns the summed loss over counted rows and their count */                            \
    double cross_entropy_rows(const Tensor& logits, const Tensor& targets, int64_t ignore_index, \
                              double eps, int64_t* count);                                      \
    void cross_entropy_rows_backward(const Tensor& dlogits, const Tensor& logits,               \
                                     const Tensor& targets, int64_t ignore_index, double eps,    \
                                     double scale);

namespace lm::cpu {
LM_ROWWISE_BACKEND_DECLS
}  // namespace lm::cpu

namespace lm::cuda {
LM_ROWWISE_BACKEND_DECLS
}  // namespace lm::cuda
