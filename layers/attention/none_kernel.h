// "none": out = v. No token mixing at all; the lower bound of every ablation.
#pragma once

#include "layers/attention/kernel.h"

namespace lm::nn {

class NoneKernel : public AttentionKernel {
  public:
    NoneKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return "none"; }
};

}  // namespace lm::nn
