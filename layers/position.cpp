#include "layers/position.h"

#include <cmath>
#include <vector>

#include "core/autograd/functional.h"
#include "layers/init.h"

namespace lm::nn {

Tensor sinusoidal_table(int64_t max_len, int64_t dim) {
    std::vector<float> v(static_cast<size_t>(max_len * dim));
    for (int64_t p = 0; p < max_len; ++p) {
        for (int64_t i = 0; i < dim; ++i) {
            const double freq =
                std::pow(10000.0, -static_cast<double>(i / 2 * 2) / static_cast<double>(dim));
            v[p * dim + i] =
                static_cast<float>(i % 2 == 0 ? std::sin(p * freq) : std::cos(p * freq));
        }
    }
    return from_vector(v, {max_len, dim});
}

PositionEmbedding::PositionEmbedding(const std::string& kind,
                                     int64_t max_len,
                                     int64_t dim,
                                     Generator& gen)
    : kind_(Kind::None), max_len_(max_len), dim_(dim) {
    if (kind == "learned") {
        kind_ = Kind::Learned;
        table_ = init_normal({max_len, dim}, 0.02, gen);
        register_parameter("weight", &table_);
    } else if (kind == "sinusoidal") {
        kind_ = Kind::Sinusoidal;
        table_ = sinusoidal_table(max_len, dim);
        register_buffer("table", &table_, false);
    } else {
        LM_CHECK(kind == "none", "unknown position embedding '", kind,
                 "'; expected learned, sinusoidal or none");
    }
}

Tensor PositionEmbedding::forward(int64_t N) const {
    LM_CHECK(N <= max_len_, "sequence of length ", N, " exceeds the model's maximum length ",
             max_len_, " (model.max_len)");
    return table_.narrow(0, 0, N);
}

}  // namespace lm::nn
