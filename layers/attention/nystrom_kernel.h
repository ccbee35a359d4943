// Nystrom attention (per-example landmarks by default, the reference's by name), plus its depthwise
// convolution skip on V (one filter of `conv_kernel` taps per head, added to the output).
#pragma once

#include "core/ops/attention.h"
#include "layers/attention/kernel.h"

namespace lm::nn {

class NystromKernel : public AttentionKernel {
  public:
    NystromKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return "nystrom"; }
    // q, k and the conv input v are multiplied by the mask; masked keys get -1e9 before the
    // softmax, so W = Bk v takes exactly zero of masked v rows.
    bool ignores_masked_rows() const override { return true; }
    // The global init couples the batch; the reference's segments depend on the padded length.
    ExampleCoupling coupling() const override {
        if (cfg_.init == ops::PinvInit::Global) return ExampleCoupling::Batch;
        return cfg_.mode == ops::LandmarkMode::Reference ? ExampleCoupling::PaddedLength
                                                         : ExampleCoupling::None;
    }

    Tensor conv_weight;  // [H, K]; undefined when the skip is off

  private:
    ops::NystromConfig cfg_;
};

// out + depthwise_conv_seq(v * mask, w): the reference's conv skip (shared by Nystrom variants).
Tensor add_conv_skip(const Tensor& out, const Tensor& v, const Tensor& mask, const Tensor& w);
ops::PinvInit pinv_init_from_name(const std::string& name);
ops::LandmarkMode landmark_mode_from_name(const std::string& name);

}  // namespace lm::nn
