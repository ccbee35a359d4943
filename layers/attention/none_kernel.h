// "none": out = v. No token mixing at all; the lower bound of every ablation.
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// "none" has no options of its own.
struct NoneOptions {};

class NoneKernel : public AttentionKernel {
  public:
    using Options = NoneOptions;
    static constexpr const char* kName = "none";
    static constexpr const char* kSize = "";
    static std::vector<AttentionOption> options();
    NoneKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
};

}  // namespace lm::nn
