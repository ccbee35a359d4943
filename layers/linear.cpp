#include "layers/linear.h"

#include "core/autograd/functional.h"
#include "layers/init.h"

namespace lm::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias, Generator& gen) {
    LM_CHECK(in_features > 0 && out_features > 0, "Linear: sizes must be positive, got ", in_features,
             " -> ", out_features);
    weight = init_fan_in_uniform({out_features, in_features}, in_features, gen);
    register_parameter("weight", &weight);
    if (with_bias) {
        bias = init_fan_in_uniform({out_features}, in_features, gen);
        register_parameter("bias", &bias);
    }
}

Tensor Linear::forward(const Tensor& x) const { return linear(x, weight, bias); }

Embedding::Embedding(int64_t num_embeddings, int64_t dim, double init_std, Generator& gen) {
    LM_CHECK(num_embeddings > 0 && dim > 0, "Embedding: sizes must be positive");
    weight = init_normal({num_embeddings, dim}, init_std, gen);
    register_parameter("weight", &weight);
}

Tensor Embedding::forward(const Tensor& ids) const { return embedding(ids, weight); }

LayerNorm::LayerNorm(int64_t dim, double eps_in) : eps(eps_in) {
    weight = ones({dim});
    bias = zeros({dim});
    register_parameter("weight", &weight);
    register_parameter("bias", &bias);
}

Tensor LayerNorm::forward(const Tensor& x) const { return layer_norm(x, weight, bias, eps); }

Tensor Dropout::forward(const Tensor& x) const { return dropout(x, p_, is_training(), *gen_); }

}  // namespace lm::nn
