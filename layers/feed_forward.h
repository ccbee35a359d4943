// Position-wise feed-forward: Linear(D, F) -> GELU (erf) or ReLU -> Dropout -> Linear(F, D)
// -> Dropout, as in the reference encoder.
#pragma once

#include <memory>
#include <string>

#include "layers/dropout.h"
#include "layers/linear.h"

namespace lm::nn {

enum class Activation { Gelu, GeluTanh, Relu };
Activation activation_from_name(const std::string& name);  // "gelu", "gelu_tanh", "relu"

class FeedForward : public Module {
  public:
    FeedForward(int64_t dim,
                int64_t hidden,
                Activation act,
                double dropout,
                Generator& init,
                Generator& dropout_gen);
    Tensor forward(const Tensor& x) const;

  private:
    std::shared_ptr<Linear> fc1_, fc2_;
    std::shared_ptr<Dropout> drop1_, drop2_;
    Activation act_;
};

}  // namespace lm::nn
