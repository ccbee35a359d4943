#include "layers/encoder.h"

#include <algorithm>

#include "core/autograd/functional.h"

namespace lm::nn {

EncoderBlock::EncoderBlock(const EncoderConfig& cfg, Generator& init, Generator& dropout_gen) {
    norm1_ = register_module("norm1", std::make_shared<LayerNorm>(cfg.dim, cfg.layer_norm_eps));
    attention_ = register_module("attention", std::make_shared<MultiHeadAttention>(
                                                  cfg.dim, cfg.heads, cfg.head_dim, cfg.attention,
                                                  cfg.max_len, init, dropout_gen));
    dropout_ = register_module("dropout", std::make_shared<Dropout>(cfg.dropout, dropout_gen));
    norm2_ = register_module("norm2", std::make_shared<LayerNorm>(cfg.dim, cfg.layer_norm_eps));
    ffn_ = register_module("ffn", std::make_shared<FeedForward>(
                                      cfg.dim, cfg.ffn_dim, activation_from_name(cfg.activation),
                                      cfg.dropout, init, dropout_gen));
}

Tensor EncoderBlock::forward(const Tensor& x, const Tensor& mask) const {
    Tensor h = x + dropout_->forward(attention_->forward(norm1_->forward(x), mask));
    return h + ffn_->forward(norm2_->forward(h));
}

Tensor EncoderBlock::forward_rows(
    const Tensor& x_rows, const Tensor& rows, int64_t B, int64_t N, const Tensor& mask) const {
    const Tensor a = attention_->forward_rows(norm1_->forward(x_rows), rows, B, N, mask);
    Tensor h = x_rows + dropout_->forward(a);
    return h + ffn_->forward(norm2_->forward(h));
}

Encoder::Encoder(const EncoderConfig& cfg, Generator& init, Generator& dropout_gen) : cfg_(cfg) {
    LM_CHECK(cfg.vocab_size > 0, "model: vocab_size must be positive (it comes from the task)");
    LM_CHECK(cfg.max_len > 0, "model: max_len must be positive");
    LM_CHECK(cfg.layers >= 0 && cfg.dim > 0 && cfg.ffn_dim > 0,
             "model: layers, dim and ffn_dim "
             "must be positive");
    token_ = register_module("embedding",
                             std::make_shared<Embedding>(cfg.vocab_size, cfg.dim, 0.02, init));
    position_ = register_module(
        "position", std::make_shared<PositionEmbedding>(cfg.position, cfg.max_len, cfg.dim, init));
    dropout_ = register_module("dropout", std::make_shared<Dropout>(cfg.dropout, dropout_gen));
    for (int64_t i = 0; i < cfg.layers; ++i) {
        blocks_.push_back(register_module("layers." + std::to_string(i),
                                          std::make_shared<EncoderBlock>(cfg, init, dropout_gen)));
    }
    final_norm_ = register_module("norm", std::make_shared<LayerNorm>(cfg.dim, cfg.layer_norm_eps));
}

Tensor Encoder::embed(const Tensor& ids) const {
    LM_CHECK(ids.dim() == 2, "encoder: ids must be [B, N], got ", ids.shape().str());
    Tensor x = token_->forward(ids);
    if (position_->enabled()) x = x + position_->forward(ids.size(1));
    return dropout_->forward(x);
}

Tensor Encoder::forward(const Tensor& ids, const Tensor& mask) const {
    Tensor x = embed(ids);
    if (skips_padding()) {
        const std::vector<double> m = mask.detach().to(DType::Float64).to_vector<double>();
        if (std::all_of(m.begin(), m.end(), [](double v) { return v == 0.0 || v == 1.0; })) {
            return forward_unpadded(x, mask, m);
        }
    }
    for (const auto& block : blocks_)
        x = block->forward(x, mask);
    return final_norm_->forward(x) * mask.unsqueeze(-1);
}

ExampleCoupling Encoder::coupling() const {
    ExampleCoupling c = ExampleCoupling::None;
    for (const auto& block : blocks_)
        c = std::max(c, block->attention().kernel().coupling());
    return c;
}

bool Encoder::skips_padding() const {
    if (!cfg_.skip_padding) return false;
    for (const auto& block : blocks_) {
        if (!block->attention().kernel().ignores_masked_rows()) return false;
    }
    return true;
}

// (A 0/1 mask, its values m on the host.) The unmasked rows of x [B, N, D] go through the blocks as
// [R, D]; only the attention core sees [B, N, .] (masked rows as zeros, which it ignores). The
// result is scattered back with zeros on masked rows, as LN_final(x) * mask has them.
Tensor Encoder::forward_unpadded(const Tensor& x,
                                 const Tensor& mask,
                                 const std::vector<double>& m) const {
    const int64_t B = x.size(0), N = x.size(1), D = x.size(2);
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < B * N; ++i) {
        if (m[static_cast<size_t>(i)] != 0.0) kept.push_back(i);
    }
    const Tensor rows =
        from_vector(kept, {static_cast<int64_t>(kept.size())}, {DType::Int64, x.device()});
    Tensor h = gather_rows(x.reshape({B * N, D}), rows);
    for (const auto& block : blocks_)
        h = block->forward_rows(h, rows, B, N, mask);
    return scatter_rows(final_norm_->forward(h), rows, B * N).view({B, N, D});
}

std::vector<Tensor> Encoder::attention_inputs(const Tensor& ids, const Tensor& mask) const {
    std::vector<Tensor> out;
    Tensor x = embed(ids);
    for (const auto& block : blocks_) {
        out.push_back(block->norm1().forward(x));
        x = block->forward(x, mask);
    }
    return out;
}

}  // namespace lm::nn
