#include "layers/layer_norm.h"

#include "core/autograd/functional.h"

namespace lm::nn {

LayerNorm::LayerNorm(int64_t dim, double eps_in) : eps(eps_in) {
    weight = ones({dim});
    bias = zeros({dim});
    register_parameter("weight", &weight);
    register_parameter("bias", &bias);
}

Tensor LayerNorm::forward(const Tensor& x) const {
    return layer_norm(x, weight, bias, eps);
}

}  // namespace lm::nn
