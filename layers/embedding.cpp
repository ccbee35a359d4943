#include "layers/embedding.h"

#include "core/autograd/functional.h"
#include "layers/init.h"

namespace lm::nn {

Embedding::Embedding(int64_t num_embeddings, int64_t dim, double init_std, Generator& gen) {
    LM_CHECK(num_embeddings > 0 && dim > 0, "Embedding: sizes must be positive");
    weight = init_normal({num_embeddings, dim}, init_std, gen);
    register_parameter("weight", &weight);
}

Tensor Embedding::forward(const Tensor& ids) const {
    return embedding(ids, weight);
}

}  // namespace lm::nn
