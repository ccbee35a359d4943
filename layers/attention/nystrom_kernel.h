// Nystrom attention (per-example landmarks by default, the reference's by name), plus its depthwise
// convolution skip on V (one filter of `conv_kernel` taps per head, added to the output).
#pragma once

#include "core/ops/nystrom.h"
#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "nystrom" (model.attention.*).
struct NystromOptions {
    int64_t landmarks = 64;                     // number of landmarks m
    int64_t pinv_iterations = 6;                // Newton-Schulz iterations of the pseudo-inverse
    std::string pinv_init = "per_matrix";       // per_matrix | global (the reference)
    std::string landmark_mode = "per_example";  // per_example | reference
    int64_t conv_kernel = 35;                   // taps of the depthwise conv skip on V (0 = off)
};

class NystromKernel : public AttentionKernel {
  public:
    using Options = NystromOptions;
    static constexpr const char* kName = "nystrom";
    static constexpr const char* kSize = "landmarks";
    static std::vector<AttentionOption> options();
    NystromKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
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
