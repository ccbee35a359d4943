// The attention-kernel registry: one explicit table, so every kernel a config can name is
// listed here and unknown names get the list back.
#include <functional>
#include <map>

#include "core/base/check.h"
#include "core/base/strings.h"
#include "layers/attention/feedforward_kernel.h"
#include "layers/attention/kernel.h"
#include "layers/attention/kernelized_rpe_kernel.h"
#include "layers/attention/linear_kernel.h"
#include "layers/attention/linformer_kernel.h"
#include "layers/attention/none_kernel.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/performer_kernel.h"
#include "layers/attention/schoenbat_kernel.h"
#include "layers/attention/skyformer_kernel.h"
#include "layers/attention/softmax_kernel.h"
#include "layers/attention/spectral_shift_kernel.h"

namespace lm::nn {

namespace {

using Factory = std::function<std::shared_ptr<AttentionKernel>(const AttentionConfig&,
                                                               const AttentionContext&)>;

template <class K>
Factory factory() {
    return [](const AttentionConfig& cfg, const AttentionContext& ctx) {
        return std::make_shared<K>(cfg, ctx);
    };
}

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> table = {
        {"softmax", factory<SoftmaxKernel>()},
        {"nystrom", factory<NystromKernel>()},
        {"spectral_shift", factory<SpectralShiftKernel>()},
        {"skyformer", factory<SkyformerKernel>()},
        {"kernelized_rpe", factory<KernelizedRpeKernel>()},
        {"performer", factory<PerformerKernel>()},
        {"linformer", factory<LinformerKernel>()},
        {"feedforward_kernel", factory<FeedforwardKernel>()},
        {"schoenbat", factory<SchoenbatKernel>()},
        {"linear", factory<LinearKernel>()},
        {"none", factory<NoneKernel>()},
    };
    return table;
}

// "name must be one of ..." for string options.
void check_choice(const std::string& key,
                  const std::string& value,
                  const std::vector<std::string>& choices) {
    for (const auto& c : choices) {
        if (c == value) return;
    }
    LM_CHECK(false, "model.attention.", key, " must be one of ", join(choices), ", got '", value,
             "'");
}

void check_positive(const std::string& key, int64_t value) {
    LM_CHECK(value > 0, "model.attention.", key, " must be positive, got ", value);
}

// Options of the kernels after nystrom (docs/attention.md).
void validate_zoo_options(const AttentionConfig& cfg) {
    check_positive("shift_samples", cfg.shift_samples);
    check_positive("skyformer_landmarks", cfg.skyformer_landmarks);
    LM_CHECK(cfg.gamma >= 0 && cfg.gamma <= 1e6, "model.attention.gamma must be in [0, 1e6], got ",
             cfg.gamma);
    check_positive("rpe_features", cfg.rpe_features);
    check_positive("performer_features", cfg.performer_features);
    LM_CHECK(cfg.redraw_interval >= 0, "model.attention.redraw_interval must be >= 0, got ",
             cfg.redraw_interval);
    check_choice("scale", cfg.scale, {"standard", "reference"});
    check_positive("linformer_k", cfg.linformer_k);
    check_positive("ff_features", cfg.ff_features);
    check_positive("ff_hidden", cfg.ff_hidden);
    check_choice("ff_activation", cfg.ff_activation, {"gelu", "relu"});
    check_choice("ff_positive", cfg.ff_positive, {"softplus", "elu1", "exp"});
    LM_CHECK(cfg.schoenbat_features >= 2,
             "model.attention.schoenbat_features must be at least 2 (1 constant + random), got ",
             cfg.schoenbat_features);
    check_choice("dotf", cfg.dotf, {"exp", "inverse", "logi", "trigh", "sqrt"});
}

}  // namespace

const char* coupling_name(ExampleCoupling c) {
    switch (c) {
        case ExampleCoupling::None:
            return "none";
        case ExampleCoupling::PaddedLength:
            return "the padded length";
        case ExampleCoupling::Batch:
            return "the other examples of the batch";
    }
    return "?";
}

std::vector<std::string> attention_kernel_names() {
    std::vector<std::string> names;
    for (const auto& [name, f] : registry())
        names.push_back(name);
    return names;
}

void validate_attention_config(const AttentionConfig& cfg) {
    LM_CHECK(cfg.dropout >= 0 && cfg.dropout < 1, "model.attention.dropout must be in [0, 1), got ",
             cfg.dropout);
    LM_CHECK(cfg.landmarks > 0, "model.attention.landmarks must be positive, got ", cfg.landmarks);
    LM_CHECK(cfg.pinv_iterations >= 0 && cfg.pinv_iterations <= 100,
             "model.attention.pinv_iterations must be in [0, 100], got ", cfg.pinv_iterations);
    LM_CHECK(cfg.conv_kernel >= 0 && (cfg.conv_kernel == 0 || cfg.conv_kernel % 2 == 1),
             "model.attention.conv_kernel must be 0 (off) or a positive odd number, got ",
             cfg.conv_kernel);
    pinv_init_from_name(cfg.pinv_init);
    landmark_mode_from_name(cfg.landmark_mode);
    validate_zoo_options(cfg);
}

std::shared_ptr<AttentionKernel> make_attention_kernel(const AttentionConfig& cfg,
                                                       const AttentionContext& ctx) {
    validate_attention_config(cfg);
    LM_CHECK(ctx.init && ctx.dropout, "make_attention_kernel: generators are required");
    for (const auto& [name, f] : registry()) {
        if (name == cfg.type) return f(cfg, ctx);
    }
    LM_CHECK(false, "unknown attention type '", cfg.type, "'",
             suggestion(cfg.type, attention_kernel_names()), "; expected one of ",
             join(attention_kernel_names()));
}

}  // namespace lm::nn
