#include "layers/linear.h"

#include "core/autograd/functional.h"
#include "layers/init.h"

namespace lm::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias, Generator& gen) {
    LM_CHECK(in_features > 0 && out_features > 0, "Linear: sizes must be positive, got ",
             in_features, " -> ", out_features);
    weight = init_fan_in_uniform({out_features, in_features}, in_features, gen);
    register_parameter("weight", &weight);
    if (with_bias) {
        bias = init_fan_in_uniform({out_features}, in_features, gen);
        register_parameter("bias", &bias);
    }
}

Tensor Linear::forward(const Tensor& x) const {
    return linear(x, weight, bias);
}

}  // namespace lm::nn
