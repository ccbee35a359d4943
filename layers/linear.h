// Linear, Embedding, LayerNorm and Dropout: the basic layers.
#pragma once

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

// y = x W^T + b, W [out, in]; PyTorch's default init.
class Linear : public Module {
public:
    Linear(int64_t in_features, int64_t out_features, bool bias, Generator& gen);
    Tensor forward(const Tensor& x) const;
    Tensor weight, bias;
};

// weight[V, D] rows looked up by integer ids; N(0, std) init (0.02 in the reference).
class Embedding : public Module {
public:
    Embedding(int64_t num_embeddings, int64_t dim, double init_std, Generator& gen);
    Tensor forward(const Tensor& ids) const;
    Tensor weight;
};

class LayerNorm : public Module {
public:
    explicit LayerNorm(int64_t dim, double eps = 1e-5);
    Tensor forward(const Tensor& x) const;
    Tensor weight, bias;
    double eps;
};

// Inverted dropout, active in training mode only; masks come from `gen` (Philox counters).
class Dropout : public Module {
public:
    Dropout(double p, Generator& gen) : p_(p), gen_(&gen) {}
    Tensor forward(const Tensor& x) const;
    double p() const { return p_; }

private:
    double p_;
    Generator* gen_;
};

}  // namespace lm::nn
