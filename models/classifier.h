// Encoder -> pooling -> head Linear(D, F) -> ReLU -> Linear(F, C), as the reference.
#pragma once

#include "layers/linear.h"
#include "models/model.h"

namespace lm::models {

// Linear(in, F) -> ReLU -> Linear(F, C).
class ClassifierHead : public nn::Module {
  public:
    ClassifierHead(int64_t in, int64_t hidden, int64_t classes, Generator& init);
    Tensor forward(const Tensor& x) const;

  private:
    std::shared_ptr<nn::Linear> fc1_, fc2_;
};

class SequenceClassifier : public Model {
  public:
    SequenceClassifier(const ModelConfig& cfg, Generator& init, Generator& dropout_gen);
    Tensor forward(const Inputs& in) override;
    const nn::Encoder& encoder() const override { return *encoder_; }
    bool paired() const override { return false; }

  private:
    Pooling pooling_;
    std::shared_ptr<nn::Encoder> encoder_;
    std::shared_ptr<ClassifierHead> head_;
};

// One shared encoder for both documents; pooled u, v combined as [u, v, u*v, u-v].
class DualEncoder : public Model {
  public:
    DualEncoder(const ModelConfig& cfg, Generator& init, Generator& dropout_gen);
    Tensor forward(const Inputs& in) override;
    const nn::Encoder& encoder() const override { return *encoder_; }
    bool paired() const override { return true; }

  private:
    Pooling pooling_;
    std::shared_ptr<nn::Encoder> encoder_;
    std::shared_ptr<ClassifierHead> head_;
};

}  // namespace lm::models
