// y = x W^T + b, W [out, in]; PyTorch's default init.
#pragma once

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

class Linear : public Module {
  public:
    Linear(int64_t in_features, int64_t out_features, bool bias, Generator& gen);
    Tensor forward(const Tensor& x) const;
    Tensor weight, bias;
};

}  // namespace lm::nn
