// Finite-difference gradient checks (float64) of the reductions (sum, mean, max, min over dims,
// with and without keepdim) and of softmax / log-softmax over the last dim with an optional
// additive mask.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::gradcheck;
using testing::leaf;
using testing::noncontiguous_leaf;

struct ReduceCase {
    Dims dims;
    bool keepdim;
};

const ReduceCase kReduceCases[] = {
    {{}, false},    {{0}, false},    {{-1}, true},      {{1}, false},
    {{0, 2}, true}, {{2, 0}, false}, {{0, 1, 2}, true},
};

TEST(GradcheckReduce, Sum) {
    const Tensor x = leaf({2, 3, 4}, 1), xn = noncontiguous_leaf({2, 3, 4}, 2);
    for (const ReduceCase& c : kReduceCases) {
        auto f = [c](const std::vector<Tensor>& in) { return sum(in[0], c.dims, c.keepdim); };
        gradcheck(f, {x}, {}, "sum " + c.dims.str());
        gradcheck(f, {xn}, {}, "sum non-contiguous " + c.dims.str());
    }
    gradcheck([](const std::vector<Tensor>& in) { return in[0].sum({1}, true) * in[0]; }, {x}, {},
              "Tensor::sum keepdim, reused");
}

TEST(GradcheckReduce, Mean) {
    const Tensor x = leaf({2, 3, 4}, 3), xn = noncontiguous_leaf({2, 3, 4}, 4);
    for (const ReduceCase& c : kReduceCases) {
        auto f = [c](const std::vector<Tensor>& in) { return mean(in[0], c.dims, c.keepdim); };
        gradcheck(f, {x}, {}, "mean " + c.dims.str());
        gradcheck(f, {xn}, {}, "mean non-contiguous " + c.dims.str());
    }
    gradcheck([](const std::vector<Tensor>& in) { return in[0].mean({-1}); }, {x}, {},
              "Tensor::mean");
}

TEST(GradcheckReduce, MaxMinOverDims) {
    // random doubles: the maxima are unique and far more than eps from the runner-up
    const Tensor x = leaf({3, 4, 5}, 5), xn = noncontiguous_leaf({3, 5, 4}, 6);
    for (int dim : {0, 1, -1}) {
        for (bool keepdim : {false, true}) {
            const std::string what = "dim " + std::to_string(dim) + (keepdim ? " keepdim" : "");
            auto fmax = [dim, keepdim](const std::vector<Tensor>& in) {
                return max(in[0], dim, keepdim).first;
            };
            auto fmin = [dim, keepdim](const std::vector<Tensor>& in) {
                return min(in[0], dim, keepdim).first;
            };
            gradcheck(fmax, {x}, {}, "max " + what);
            gradcheck(fmin, {x}, {}, "min " + what);
            gradcheck(fmax, {xn}, {}, "max non-contiguous " + what);
            gradcheck(fmin, {xn}, {}, "min non-contiguous " + what);
        }
    }
    gradcheck([](const std::vector<Tensor>& in) { return max(in[0]); }, {xn}, {}, "max all");
}

TEST(GradcheckReduce, MaxGradientGoesToFirstMaximum) {
    Tensor x = tensor({1.0, 3.0, 3.0, 2.0}, {DType::Float64}).requires_grad_();
    auto [v, i] = max(x, 0);
    EXPECT_EQ(i.item(), 1.0);
    v.backward();
    testing::expect_values(x.grad(), {0, 1, 0, 0});
}

TEST(GradcheckReduce, Softmax) {
    const Tensor x = leaf({3, 5}, 7, -2.0, 2.0), xn = noncontiguous_leaf({2, 5, 4}, 8, -2.0, 2.0);
    gradcheck([](const std::vector<Tensor>& in) { return softmax(in[0]); }, {x}, {}, "softmax");
    gradcheck([](const std::vector<Tensor>& in) { return softmax(in[0]); }, {xn}, {},
              "softmax non-contiguous");
    gradcheck([](const std::vector<Tensor>& in) { return log_softmax(in[0]); }, {x}, {},
              "log_softmax");
    gradcheck([](const std::vector<Tensor>& in) { return log_softmax(in[0]); }, {xn}, {},
              "log_softmax non-contiguous");
}

TEST(GradcheckReduce, SoftmaxWithMask) {
    // a key-padding mask [B, 1, N] broadcast over the query rows, and a plain [N] bias
    const Tensor x = leaf({2, 3, 4}, 9, -2.0, 2.0);
    const Tensor pad = from_vector(std::vector<double>{0, 0, -1e9, -1e9, 0, 0, 0, -1e9}, {2, 1, 4},
                                   {DType::Float64});
    const Tensor bias = testing::random_tensor({4}, 10);
    gradcheck([pad](const std::vector<Tensor>& in) { return softmax(in[0], pad); }, {x}, {},
              "softmax padding mask");
    gradcheck([bias](const std::vector<Tensor>& in) { return softmax(in[0], bias); }, {x}, {},
              "softmax bias mask");
    gradcheck([bias](const std::vector<Tensor>& in) { return log_softmax(in[0], bias); }, {x}, {},
              "log_softmax bias mask");
    // log-probabilities of masked keys are about -1e9: zero them so that they do not swamp the
    // finite differences of the objective
    const Tensor padded = lt(pad, full({}, -1.0, {DType::Float64}));
    gradcheck(
        [pad, padded](const std::vector<Tensor>& in) {
            return masked_fill(log_softmax(in[0], pad), padded, 0.0);
        },
        {x}, {}, "log_softmax padding mask");
    // masked keys get exactly zero probability and zero gradient
    Tensor xs = x.detach().clone().requires_grad_();
    Tensor y = softmax(xs, pad);
    const auto yv = y.to_vector<double>();
    EXPECT_EQ(yv[2], 0.0);
    EXPECT_EQ(yv[3], 0.0);
    EXPECT_EQ(yv[12 + 3], 0.0);
    (y * testing::random_tensor({2, 3, 4}, 11)).sum().backward();
    EXPECT_EQ(xs.grad().to_vector<double>()[2], 0.0);
}

}  // namespace
}  // namespace lm
