#include "layers/attention/feedforward_kernel.h"

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/registry.h"
#include "layers/init.h"

namespace lm::nn {

std::vector<AttentionOption> FeedforwardKernel::options() {
    return {
        integer_option<AttentionConfig>("ff_features", &FeedforwardOptions::ff_features, 1, 1 << 16,
                                        "feature dimension m of phi"),
        integer_option<AttentionConfig>("ff_hidden", &FeedforwardOptions::ff_hidden, 1, 1 << 16,
                                        "hidden width of the phi MLP"),
        choice_option<AttentionConfig>("ff_activation", &FeedforwardOptions::ff_activation,
                                       {"gelu", "relu"}, "hidden activation of phi"),
        choice_option<AttentionConfig>("ff_positive", &FeedforwardOptions::ff_positive,
                                       {"softplus", "elu1", "exp"}, "positive output map of phi"),
        bool_option<AttentionConfig>("ff_per_head", &FeedforwardOptions::ff_per_head,
                                     "one phi per head (else shared by the heads)"),
    };
}

FeedforwardKernel::Hidden FeedforwardKernel::parse_hidden(const std::string& name) {
    if (name == "relu") return Hidden::Relu;
    LM_CHECK(name == "gelu", "feedforward: unknown ff_activation '", name,
             "'; expected gelu or relu");
    return Hidden::Gelu;
}

FeedforwardKernel::Positive FeedforwardKernel::parse_positive(const std::string& name) {
    if (name == "elu1") return Positive::Elu1;
    if (name == "exp") return Positive::Exp;
    LM_CHECK(name == "softplus", "feedforward: unknown ff_positive '", name,
             "'; expected softplus, elu1 or exp");
    return Positive::Softplus;
}

FeedforwardKernel::FeedforwardKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : activation_(parse_hidden(cfg.ff_activation)), positive_(parse_positive(cfg.ff_positive)) {
    const int64_t d = ctx.head_dim, r = cfg.ff_hidden, m = cfg.ff_features, H = ctx.heads;
    Generator& gen = *ctx.init;
    if (cfg.ff_per_head) {
        w1 = init_fan_in_uniform({H, r, d}, d, gen);
        b1 = init_fan_in_uniform({H, 1, r}, d, gen);
        w2 = init_fan_in_uniform({H, m, r}, r, gen);
        b2 = init_fan_in_uniform({H, 1, m}, r, gen);
    } else {
        w1 = init_fan_in_uniform({r, d}, d, gen);
        b1 = init_fan_in_uniform({r}, d, gen);
        w2 = init_fan_in_uniform({m, r}, r, gen);
        b2 = init_fan_in_uniform({m}, r, gen);
    }
    register_parameter("w1", &w1);
    register_parameter("b1", &b1);
    register_parameter("w2", &w2);
    register_parameter("b2", &b2);
}

Tensor FeedforwardKernel::feature_map(const Tensor& x) const {
    // x [B, H, N, d] @ w^T: w [H, ., .] broadcasts over the batch dim, w [., .] over both.
    const Tensor pre = matmul(x, w1.mT()) + b1;
    const Tensor h = activation_ == Hidden::Relu ? relu(pre) : gelu(pre);
    const Tensor u = matmul(h, w2.mT()) + b2;
    switch (positive_) {
        case Positive::Elu1:
            return elu(u) + 1.0;
        case Positive::Exp:
            return exp(u);
        case Positive::Softplus:
            break;
    }
    return softplus(u);
}

Tensor FeedforwardKernel::forward(const Tensor& q,
                                  const Tensor& k,
                                  const Tensor& v,
                                  const Tensor& mask) {
    FeatureAttentionOptions opts;
    opts.eps = kEps;
    // padded keys enter phi as zero rows: whatever they held, phi(k) there stays finite, so the
    // mask multiplies it to exactly zero (an inf from ff_positive: exp would give NaN)
    return feature_attention(feature_map(q), feature_map(k * row_mask(mask)), v, mask, opts);
}

}  // namespace lm::nn
