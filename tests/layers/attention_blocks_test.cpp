// Shared zoo building blocks: the differentiable Newton-Schulz pseudo-inverse against the fused
// op, feature attention against its quadratic form, orthogonal random features, exact references.
#include <gtest/gtest.h>

#include "core/autograd/attention.h"
#include "core/ops/nystrom.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/exact_reference.h"
#include "layers/attention/random_features.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

using testing::random_tensor;

Tensor row_softmax_matrices(int64_t S, int64_t m, uint64_t seed) {
    return softmax(random_tensor({S, m, m}, seed, DType::Float64, -2, 2));
}

TEST(AttentionBlocks, PinvMatchesTheFusedIterationForBothReferenceScales) {
    const Tensor A = row_softmax_matrices(3, 5, 1);
    for (auto [scale, init] : {std::pair{ops::PinvInit::Global, ops::PinvInit::Global},
                               std::pair{ops::PinvInit::PerMatrix, ops::PinvInit::PerMatrix}}) {
        Tensor c;
        int64_t cs = 0, cc = 0;
        const auto Z = ops::iterative_pinv(A, 6, init, &c, &cs, &cc);
        EXPECT_LT(testing::max_abs_diff(newton_schulz_pinv(A, 6, scale), Z.back()), 1e-12);
    }
}

TEST(AttentionBlocks, PinvBackwardFromSavedProductsMatchesRecomputation) {
    const Tensor A = row_softmax_matrices(3, 5, 1);
    const Tensor dZ = row_softmax_matrices(3, 5, 7) - 0.2;
    for (auto init : {ops::PinvInit::Global, ops::PinvInit::PerMatrix}) {
        Tensor c;
        int64_t cs = 0, cc = 0;
        std::vector<Tensor> products;
        const auto Z = ops::iterative_pinv(A, 6, init, &c, &cs, &cc, &products);
        ASSERT_EQ(products.size(), 4u * 6u);
        const Tensor saved = ops::iterative_pinv_backward(A, Z, c, init, cs, cc, dZ, &products);
        const Tensor recomputed = ops::iterative_pinv_backward(A, Z, c, init, cs, cc, dZ);
        EXPECT_EQ(testing::max_abs_diff(saved, recomputed), 0.0);
        EXPECT_GT(testing::max_abs_diff(saved, Tensor(zeros(A.shape(), {DType::Float64}))), 0.0);
    }
}

TEST(AttentionBlocks, AbsNormPinvInvertsMatricesWithNegativeEntries) {
    // A - 0.3 I for a well-conditioned row-stochastic A: negative diagonal entries
    const Tensor A = 0.5 * eye(4, {DType::Float64}) + 0.5 * row_softmax_matrices(2, 4, 2) -
                     0.3 * eye(4, {DType::Float64});
    const Tensor Z = newton_schulz_pinv(A, 40, ops::PinvInit::AbsNorms);
    const Tensor I = eye(4, {DType::Float64}).expand({2, 4, 4});
    EXPECT_LT(testing::max_abs_diff(matmul(A, Z), I), 1e-10);
}

TEST(AttentionBlocks, PinvGradcheck) {
    Tensor A = testing::make_leaf(row_softmax_matrices(2, 4, 3));
    for (ops::PinvInit s : {ops::PinvInit::Global, ops::PinvInit::PerMatrix}) {
        testing::gradcheck(
            [&](const std::vector<Tensor>& in) { return newton_schulz_pinv(in[0], 3, s); }, {A}, {},
            "newton_schulz_pinv");
    }
    // AbsNorms on a general matrix: a row-stochastic A has tied row sums (a kink of the max)
    Tensor G = testing::make_leaf(random_tensor({2, 4, 4}, 4) + 2.0 * eye(4, {DType::Float64}));
    testing::gradcheck(
        [&](const std::vector<Tensor>& in) {
            return newton_schulz_pinv(in[0], 3, ops::PinvInit::AbsNorms);
        },
        {G}, {}, "newton_schulz_pinv abs norms");
}

TEST(AttentionBlocks, FeatureAttentionMatchesItsQuadraticForm) {
    const Tensor mask = zoo::padding_mask(2, 7, {7, 4});
    const Tensor pq = random_tensor({2, 2, 7, 5}, 4, DType::Float64, 0.1, 1);
    const Tensor pk = random_tensor({2, 2, 7, 5}, 5, DType::Float64, 0.1, 1);
    const Tensor v = random_tensor({2, 2, 7, 3}, 6);
    for (FeatureAttentionOptions o :
         {FeatureAttentionOptions{1e-6, 0}, FeatureAttentionOptions{0, 3}}) {
        EXPECT_LT(testing::max_abs_diff(
                      feature_attention(pq, pk, v, mask, o),
                      exact_feature_attention(pq, pk, v, mask, o.eps, o.min_denominator)),
                  1e-13);
    }
}

TEST(AttentionBlocks, ExactSoftmaxMatchesTheFusedCore) {
    const Tensor mask = zoo::padding_mask(2, 9, {9, 5});
    const Tensor q = random_tensor({2, 2, 9, 4}, 7), k = random_tensor({2, 2, 9, 4}, 8),
                 v = random_tensor({2, 2, 9, 4}, 9);
    EXPECT_LT(testing::max_abs_diff(exact_softmax(q, k, v, mask), softmax_attention(q, k, v, mask)),
              1e-13);
}

TEST(AttentionBlocks, OrthogonalFeaturesAreOrthogonalPerBlockAndDeterministic) {
    Generator g1(5), g2(5), g3(6);
    const Tensor w = orthogonal_gaussian_features(10, 4, g1);  // blocks of 4, 4, 2 rows
    EXPECT_EQ(w.shape(), (Shape{10, 4}));
    const auto x = w.to_vector<double>();
    for (int64_t i = 0; i < 4; ++i) {
        for (int64_t j = i + 1; j < 4; ++j) {
            double dot = 0;
            for (int64_t c = 0; c < 4; ++c)
                dot += x[i * 4 + c] * x[j * 4 + c];
            EXPECT_NEAR(dot, 0.0, 1e-12) << i << ", " << j;
        }
    }
    EXPECT_TRUE(testing::bitwise_equal(w, orthogonal_gaussian_features(10, 4, g2)));
    EXPECT_FALSE(testing::bitwise_equal(w, orthogonal_gaussian_features(10, 4, g3)));
}

TEST(AttentionBlocks, L2NormalizeKeepsZeroRowsFinite) {
    const Tensor x = tensor({0, 0, 3, 4}, {DType::Float64}).view({2, 2});
    testing::expect_values(l2_normalize(x), {0, 0, 0.6, 0.8}, 1e-12);
}

}  // namespace
}  // namespace lm::nn
