// Layer norm over the last dim with a learned scale (init 1) and shift (init 0), as
// torch.nn.LayerNorm(dim, eps).
#pragma once

#include "layers/module.h"

namespace lm::nn {

class LayerNorm : public Module {
  public:
    explicit LayerNorm(int64_t dim, double eps = 1e-5);
    Tensor forward(const Tensor& x) const;
    Tensor weight, bias;
    double eps;
};

}  // namespace lm::nn
