// weight[V, D] rows looked up by integer ids; N(0, std) init (0.02 in the reference).
#pragma once

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

class Embedding : public Module {
  public:
    Embedding(int64_t num_embeddings, int64_t dim, double init_std, Generator& gen);
    Tensor forward(const Tensor& ids) const;
    Tensor weight;
};

}  // namespace lm::nn
