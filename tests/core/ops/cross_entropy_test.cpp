// Cross-entropy values (core/ops/cross_entropy.h); its gradients are op cases
// (cross_entropy_cases.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

TEST(CrossEntropy, HandComputedValuesAndAllIgnored) {
    // hand-computed: logits [0, ln 3] with target 1: p = 3/4, loss = ln(4/3)
    const Tensor x = from_vector(std::vector<double>{0.0, std::log(3.0)}, {1, 2}, {DType::Float64});
    const Tensor t = from_vector(std::vector<int64_t>{1}, {1}, {DType::Int64});
    EXPECT_NEAR(cross_entropy(x, t).item(), std::log(4.0 / 3.0), 1e-15);
    // smoothing eps: (1 - eps) * nll(target) + eps * mean over classes of nll
    const double eps = 0.3;
    EXPECT_NEAR(cross_entropy(x, t, -100, eps).item(),
                (1 - eps) * std::log(4.0 / 3.0) + eps * 0.5 * (std::log(4.0) + std::log(4.0 / 3.0)),
                1e-15);
    // every target ignored: NaN (mean over no rows), and no gradient flows
    Tensor xl = x.detach().clone().requires_grad_();
    const Tensor ign = from_vector(std::vector<int64_t>{-100}, {1}, {DType::Int64});
    Tensor loss = cross_entropy(xl, ign);
    EXPECT_TRUE(std::isnan(loss.item()));
    loss.backward();
    testing::expect_values(xl.grad(), {0.0, 0.0});
}

}  // namespace
}  // namespace lm
