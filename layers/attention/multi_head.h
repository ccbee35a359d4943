// Multi-head attention: query/key/value projections D -> H*d (with bias), a pluggable kernel,
// heads merged and projected back H*d -> D (the reference's `ff`).
#pragma once

#include <memory>

#include "layers/attention/kernel.h"
#include "layers/linear.h"

namespace lm::nn {

class MultiHeadAttention : public Module {
  public:
    MultiHeadAttention(int64_t dim,
                       int64_t heads,
                       int64_t head_dim,
                       const AttentionConfig& cfg,
                       int64_t max_len,
                       Generator& init,
                       Generator& dropout_gen);
    // x [B, N, D], mask [B, N] -> [B, N, D]
    Tensor forward(const Tensor& x, const Tensor& mask) const;
    // q, k, v [B, H, N, d] of the projections (used by `landmark approx` on trained models).
    void project(const Tensor& x, Tensor* q, Tensor* k, Tensor* v) const;
    const AttentionKernel& kernel() const { return *kernel_; }

  private:
    int64_t heads_, head_dim_;
    std::shared_ptr<Linear> query_, key_, value_, out_;
    std::shared_ptr<AttentionKernel> kernel_;
};

}  // namespace lm::nn
