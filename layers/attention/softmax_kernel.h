// Exact scaled dot-product attention with padding mask and attention dropout: the quadratic
// baseline of every ablation. The [N, N] scores exist for one block of query rows at a time.
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "softmax" (model.attention.*).
struct SoftmaxOptions {
    double dropout = 0.1;  // dropout on the attention probabilities
};

class SoftmaxKernel : public AttentionKernel {
  public:
    using Options = SoftmaxOptions;
    static constexpr const char* kName = "softmax";
    static constexpr const char* kSize = "";
    static std::vector<AttentionOption> options();
    SoftmaxKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    bool quadratic() const override { return true; }
    // Masked keys weigh exactly zero; query rows are independent of each other.
    bool ignores_masked_rows() const override { return true; }

  private:
    double dropout_;
    Generator* gen_;
};

}  // namespace lm::nn
