// The attention-kernel registry: one explicit table, so every kernel a config can name is
// listed here and unknown names get the list back.
#include <functional>
#include <map>

#include "core/base/check.h"
#include "core/base/strings.h"
#include "layers/attention/kernel.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/softmax_kernel.h"

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
    };
    return table;
}

}  // namespace

std::vector<std::string> attention_kernel_names() {
    std::vector<std::string> names;
    for (const auto& [name, f] : registry()) names.push_back(name);
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
}

std::shared_ptr<AttentionKernel> make_attention_kernel(const AttentionConfig& cfg,
                                                       const AttentionContext& ctx) {
    validate_attention_config(cfg);
    LM_CHECK(ctx.init && ctx.dropout, "make_attention_kernel: generators are required");
    for (const auto& [name, f] : registry()) {
        if (name == cfg.type) return f(cfg, ctx);
    }
    const std::string guess = closest_match(cfg.type, attention_kernel_names());
    LM_CHECK(false, "unknown attention type '", cfg.type, "'",
             guess.empty() ? "" : " (did you mean '" + guess + "'?)", "; expected one of ",
             join(attention_kernel_names()));
}

}  // namespace lm::nn
