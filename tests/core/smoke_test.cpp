#include <gtest/gtest.h>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::gradcheck;
using testing::leaf;

TEST(Smoke, MatmulAndTanh) {
    Tensor a = leaf({3, 4}, 1), b = leaf({4, 5}, 2);
    gradcheck([](const std::vector<Tensor>& in) { return tanh(matmul(in[0], in[1])); }, {a, b});
}

TEST(Smoke, SoftmaxLayerNormCrossEntropy) {
    Tensor x = leaf({6, 5}, 3), w = leaf({5}, 4), b = leaf({5}, 5);
    Tensor t = from_vector(std::vector<int64_t>{0, 1, 2, 3, 4, 0}, {6}, {DType::Int64});
    gradcheck(
        [t](const std::vector<Tensor>& in) {
            return cross_entropy(layer_norm(softmax(in[0]), in[1], in[2]), t, -100, 0.1);
        },
        {x, w, b});
}

}  // namespace
}  // namespace lm
