#include "layers/init.h"

#include <cmath>

#include "core/tensor/factory.h"

namespace lm::nn {

Tensor init_fan_in_uniform(const Shape& shape, int64_t fan_in, Generator& gen) {
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    Tensor t = empty(shape);
    uniform_(t, -bound, bound, gen);
    return t;
}

Tensor init_normal(const Shape& shape, double std, Generator& gen) {
    Tensor t = empty(shape);
    normal_(t, 0.0, std, gen);
    return t;
}

}  // namespace lm::nn
