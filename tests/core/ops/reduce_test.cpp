// Finite-difference gradient checks (float64) of the reductions (sum, mean, max, min over dims,
// with and without keepdim) and of softmax / log-softmax over the last dim with an optional
// additive mask; values of argmax and of the reductions, wide rows included.
#include <gtest/gtest.h>

#include <cmath>

#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::expect_values;
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

TEST(OpsValues, Argmax) {
    const Tensor x = tensor({1, 5, 5, 0, -1, 2, 7, 7, 3, 3, 3, 9}).view({3, 4});
    EXPECT_EQ(argmax(x, 1).to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 3}));  // first max
    EXPECT_EQ(argmax(x, 0).to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1, 2}));
    EXPECT_EQ(argmax(x, -1, true).shape(), Shape({3, 1}));
    EXPECT_EQ(argmax(x.mT(), 1).to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1, 2}));
    const Tensor nan = tensor({1.0, std::nan(""), 3.0});
    EXPECT_EQ(argmax(nan, 0).item(), 1.0);  // NaN counts as the maximum
    auto [mv, mi] = min(x, 1);
    expect_values(mv, {0, -1, 3});
    EXPECT_EQ(mi.to_vector<int64_t>(), (std::vector<int64_t>{3, 0, 0}));
    auto [xv, xi] = max(x, 0, true);
    EXPECT_EQ(xv.shape(), Shape({1, 4}));
    expect_values(xv, {3, 5, 7, 9});
    EXPECT_EQ(max(x).item(), 9.0);
}

TEST(OpsValues, Reductions) {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {DType::Float64}).view({2, 3});
    expect_values(sum(x), {21});
    expect_values(sum(x, {0}), {5, 7, 9});
    expect_values(sum(x, {1}, true), {6, 15});
    EXPECT_EQ(sum(x, {1}, true).shape(), Shape({2, 1}));
    expect_values(mean(x, {-1}), {2, 5});
    expect_values(mean(x.mT(), {0}), {2, 5});
    expect_values(sum(x, {0, 1}), {21});
    EXPECT_EQ(sum(x).dim(), 0);
    EXPECT_EQ(sum(arange(5)).to_vector<int64_t>(), (std::vector<int64_t>{10}));
    expect_values(sum(zeros({0, 3}), {0}), {0, 0, 0});
}

// Column sums of rows wider than one reduction block (16384) take the column-range path: every
// column, the partial last column block included, equals its row-ordered sum (exact here).
TEST(OpsValues, SumOverLeadingDimOfWideRows) {
    const int64_t rows = 5, cols = 16384 + 1024 + 7;
    std::vector<float> data(static_cast<size_t>(rows * cols));
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<float>(static_cast<int64_t>(i) % 97 - 48);
    const std::vector<float> sums = sum(from_vector(data, {rows, cols}), {0}).to_vector<float>();
    ASSERT_EQ(static_cast<int64_t>(sums.size()), cols);
    for (int64_t c = 0; c < cols; ++c) {
        float expected = 0;
        for (int64_t r = 0; r < rows; ++r)
            expected += data[static_cast<size_t>(r * cols + c)];
        ASSERT_EQ(sums[static_cast<size_t>(c)], expected) << "column " << c;
    }
}

}  // namespace
}  // namespace lm
