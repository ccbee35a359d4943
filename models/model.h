// The models, each built on one Encoder and created from a ModelConfig by make_model
// (models/model.cpp): the LRA sequence classifier and two-tower dual encoder for retrieval-style
// pairs (models/classifier.h), and the masked-language model for pre-training
// (models/masked_lm.h).
#pragma once

#include <memory>
#include <string>

#include "layers/encoder.h"

namespace lm::models {

struct ModelConfig {
    std::string type = "classifier";  // "classifier", "dual_encoder" or "masked_lm"
    std::string pooling = "mean";     // "mean" (over real tokens) or "cls" (position 0)
    int64_t num_classes = 0;          // from the task
    int64_t head_hidden = 0;          // hidden size of the head; 0 means ffn_dim
    bool tie_embeddings = true;       // masked_lm: output projection = the token embedding
    nn::EncoderConfig encoder;
};

// One batch on the model's device: ids [B, N] int32, mask [B, N] float (1 = token);
// ids2/mask2 hold the second document of pair tasks; positions (int64 [K], flat indices into
// the B * N tokens) the tokens a masked LM predicts.
struct Inputs {
    Tensor ids, mask, ids2, mask2, positions;
};

class Model : public nn::Module {
  public:
    virtual Tensor forward(const Inputs& in) = 0;  // logits [B, C] (masked LM: [K, V])
    virtual const nn::Encoder& encoder() const = 0;
    virtual bool paired() const = 0;
};

std::shared_ptr<Model> make_model(const ModelConfig& cfg, Generator& init, Generator& dropout_gen);
// Masked mean over real tokens ([B, N, D] -> [B, D]) or position 0 (Cls).
enum class Pooling { Mean, Cls };
// "mean" or "cls" (model.pooling); anything else is an error naming the choices.
Pooling parse_pooling(const std::string& name);
Tensor pool(const Tensor& x, const Tensor& mask, Pooling pooling);

}  // namespace lm::models
