// A BERT-style masked-language model for pre-training an encoder: the encoder, then, at the
// predicted positions only, dense(D, D) -> GELU -> LayerNorm -> logits over the vocabulary
// through the output projection, which by default is the token embedding itself (tied, as in
// BERT and Hugging Face's BertForMaskedLM), plus a bias of its own.
#pragma once

#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "models/model.h"

namespace lm::models {

class MaskedLmHead : public nn::Module {
  public:
    // `tied`: the [V, D] weight to project with (the encoder's token embedding), read at every
    // forward so it always is the current tensor; nullptr gives the head its own "decoder".
    MaskedLmHead(int64_t dim, int64_t vocab, double eps, const Tensor* tied, Generator& init);
    Tensor forward(const Tensor& h) const;  // [K, D] -> [K, V]

  private:
    std::shared_ptr<nn::Linear> dense_;
    std::shared_ptr<nn::LayerNorm> norm_;
    std::shared_ptr<nn::Linear> decoder_;  // untied only
    const Tensor* tied_ = nullptr;
    Tensor bias_;
};

// forward(in) returns the logits [K, V] at in.positions (int64 [K], flat indices into the
// [B * N] tokens of the batch), so the loss and its backward cost nothing at other positions.
class MaskedLanguageModel : public Model {
  public:
    MaskedLanguageModel(const ModelConfig& cfg, Generator& init, Generator& dropout_gen);
    Tensor forward(const Inputs& in) override;
    const nn::Encoder& encoder() const override { return *encoder_; }
    bool paired() const override { return false; }

  private:
    std::shared_ptr<nn::Encoder> encoder_;
    std::shared_ptr<MaskedLmHead> head_;
};

}  // namespace lm::models
