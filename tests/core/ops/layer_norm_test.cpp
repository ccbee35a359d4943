// Layer-norm values (core/ops/layer_norm.h); its gradients are op cases (layer_norm_cases.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::expect_values;

TEST(OpsValues, LayerNorm) {
    // layer norm of [1, 2, 3, 4]: mean 2.5, var 1.25
    const Tensor l = tensor({1, 2, 3, 4}, {DType::Float64});
    const double r = 1 / std::sqrt(1.25 + 1e-5);
    expect_values(layer_norm(l, Tensor(), Tensor()), {-1.5 * r, -0.5 * r, 0.5 * r, 1.5 * r}, 1e-14);
    const Tensor w = tensor({1, 2, 3, 4}, {DType::Float64}),
                 b = tensor({0, 0, 1, 1}, {DType::Float64});
    expect_values(layer_norm(l, w, b), {-1.5 * r, -1.0 * r, 1.5 * r + 1, 6 * r + 1}, 1e-14);
}

}  // namespace
}  // namespace lm
