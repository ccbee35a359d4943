// Multi-head attention: query/key/value projections D -> H*d (with bias), a pluggable kernel,
// heads merged and projected back H*d -> D (the reference's `ff`).
#pragma once

#include <memory>

#include "layers/attention/registry.h"
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
    // The same on the unmasked rows only: x_rows [R, D] are rows `rows` (int64 [R]) of the
    // flattened [B * N, D] input; masked rows enter the kernel as zeros. Returns [R, D]. Only
    // for kernels whose ignores_masked_rows() holds (then it equals forward() on those rows).
    Tensor forward_rows(
        const Tensor& x_rows, const Tensor& rows, int64_t B, int64_t N, const Tensor& mask) const;
    // q, k, v [B, H, N, d] of the projections (used by `landmark approx` on trained models).
    void project(const Tensor& x, Tensor* q, Tensor* k, Tensor* v) const;
    const AttentionKernel& kernel() const { return *kernel_; }

  private:
    Tensor qkv_projection(const Tensor& x) const;                // [.., D] -> [.., 3 H d]
    Tensor attend(const Tensor& qkv, const Tensor& mask) const;  // [B, N, 3 H d] -> [B, H, N, d]

    int64_t heads_, head_dim_;
    std::shared_ptr<Linear> query_, key_, value_, out_;
    std::shared_ptr<AttentionKernel> kernel_;
};

}  // namespace lm::nn
