#include "models/masked_lm.h"

#include "core/autograd/functional.h"

namespace lm::models {

MaskedLmHead::MaskedLmHead(
    int64_t dim, int64_t vocab, double eps, const Tensor* tied, Generator& init)
    : tied_(tied) {
    dense_ = register_module("dense", std::make_shared<nn::Linear>(dim, dim, true, init));
    norm_ = register_module("norm", std::make_shared<nn::LayerNorm>(dim, eps));
    if (!tied_) {
        decoder_ =
            register_module("decoder", std::make_shared<nn::Linear>(dim, vocab, false, init));
    } else {
        LM_CHECK(tied_->dim() == 2 && tied_->size(0) == vocab && tied_->size(1) == dim,
                 "masked LM: the tied embedding is ", tied_->shape().str(), ", expected [", vocab,
                 ", ", dim, "]");
    }
    bias_ = zeros({vocab});  // as BERT: the output bias starts at zero
    register_parameter("bias", &bias_);
}

Tensor MaskedLmHead::forward(const Tensor& h) const {
    const Tensor x = norm_->forward(gelu(dense_->forward(h), GeluApprox::Erf));
    return linear(x, tied_ ? *tied_ : decoder_->weight, bias_);
}

MaskedLanguageModel::MaskedLanguageModel(const ModelConfig& cfg,
                                         Generator& init,
                                         Generator& dropout_gen) {
    encoder_ =
        register_module("encoder", std::make_shared<nn::Encoder>(cfg.encoder, init, dropout_gen));
    const Tensor* tied = cfg.tie_embeddings ? &encoder_->token_embedding().weight : nullptr;
    head_ = register_module("mlm_head",
                            std::make_shared<MaskedLmHead>(cfg.encoder.dim, cfg.encoder.vocab_size,
                                                           cfg.encoder.layer_norm_eps, tied, init));
}

Tensor MaskedLanguageModel::forward(const Inputs& in) {
    LM_CHECK(in.positions.defined(), "masked LM: the batch has no positions to predict");
    const Tensor h = encoder_->forward(in.ids, in.mask);  // [B, N, D]
    const int64_t rows = h.size(0) * h.size(1);
    return head_->forward(gather_rows(h.reshape({rows, h.size(2)}), in.positions));
}

}  // namespace lm::models
