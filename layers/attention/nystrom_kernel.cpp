#include "layers/attention/nystrom_kernel.h"

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "layers/attention/registry.h"
#include "layers/init.h"

namespace lm::nn {

namespace {

// 0 (off) or an odd number of taps, so the filter is centred on its token.
AttentionOption conv_kernel_option() {
    AttentionOption o =
        integer_option<AttentionConfig>("conv_kernel", &NystromOptions::conv_kernel, 0, 4095,
                                        "taps of the depthwise conv skip on V (odd; 0 = off)");
    o.type = "0 or an odd integer in [1, 4095]";
    o.set = [](AttentionConfig& c, const std::string& s) {
        const int64_t taps = parse_integer(s, 0, 4095);
        if (taps % 2 == 0 && taps != 0) throw_expected("0 (off) or an odd number of taps", s);
        c.conv_kernel = taps;
    };
    return o;
}

}  // namespace

std::vector<AttentionOption> NystromKernel::options() {
    return {
        integer_option<AttentionConfig>("landmarks", &NystromOptions::landmarks, 1, 1 << 20,
                                        "number of landmarks m"),
        integer_option<AttentionConfig>("pinv_iterations", &NystromOptions::pinv_iterations, 0, 100,
                                        "iterations of the pseudo-inverse"),
        choice_option<AttentionConfig>("pinv_init", &NystromOptions::pinv_init,
                                       {"per_matrix", "global"},
                                       "pseudo-inverse init scale per matrix, or one over the "
                                       "whole batch (global, the reference's)"),
        choice_option<AttentionConfig>("landmark_mode", &NystromOptions::landmark_mode,
                                       {"per_example", "reference"},
                                       "landmarks from each example's real tokens, or the "
                                       "reference's equal segments of the padded sequence"),
        conv_kernel_option(),
    };
}

ops::PinvInit pinv_init_from_name(const std::string& name) {
    if (name == "global") return ops::PinvInit::Global;
    if (name == "per_matrix") return ops::PinvInit::PerMatrix;
    LM_CHECK(false, "unknown pinv_init '", name, "'; expected global or per_matrix");
}

ops::LandmarkMode landmark_mode_from_name(const std::string& name) {
    if (name == "per_example") return ops::LandmarkMode::PerExample;
    if (name == "reference") return ops::LandmarkMode::Reference;
    LM_CHECK(false, "unknown landmark_mode '", name, "'; expected per_example or reference");
}

Tensor add_conv_skip(const Tensor& out, const Tensor& v, const Tensor& mask, const Tensor& w) {
    if (!w.defined()) return out;
    const Tensor mask4 = mask.view({mask.size(0), 1, mask.size(1), 1});
    return out + depthwise_conv_seq(v * mask4, w);
}

NystromKernel::NystromKernel(const AttentionConfig& cfg, const AttentionContext& ctx) {
    cfg_.landmarks = cfg.landmarks;
    cfg_.iterations = static_cast<int>(cfg.pinv_iterations);
    cfg_.init = pinv_init_from_name(cfg.pinv_init);
    cfg_.mode = landmark_mode_from_name(cfg.landmark_mode);
    if (cfg.conv_kernel > 0) {
        // PyTorch's Conv2d default init: fan_in = in_channels / groups * kernel = K
        conv_weight = init_fan_in_uniform({ctx.heads, cfg.conv_kernel}, cfg.conv_kernel, *ctx.init);
        register_parameter("conv.weight", &conv_weight);
    }
}

Tensor NystromKernel::forward(const Tensor& q,
                              const Tensor& k,
                              const Tensor& v,
                              const Tensor& mask) {
    return add_conv_skip(nystrom_attention(q, k, v, mask, cfg_), v, mask, conv_weight);
}

}  // namespace lm::nn
