// Exact scaled dot-product attention with padding mask and attention dropout: the quadratic
// baseline of every ablation. The [N, N] scores exist for one block of query rows at a time.
#pragma once

#include "layers/attention/kernel.h"

namespace lm::nn {

class SoftmaxKernel : public AttentionKernel {
  public:
    SoftmaxKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return "softmax"; }
    bool quadratic() const override { return true; }
    // Masked keys weigh exactly zero; query rows are independent of each other.
    bool ignores_masked_rows() const override { return true; }

  private:
    double dropout_;
    Generator* gen_;
};

}  // namespace lm::nn
