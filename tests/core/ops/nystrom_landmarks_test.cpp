// Nystrom landmark segments (ops::landmark_segments, landmark_mean) and the batch independence of
// per-example landmarks: an example's outputs and gradients alone equal those inside a padded
// batch of other lengths; short examples; the reference's segments unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::leaf;
using testing::random_tensor;
using testing::relative_error;

Tensor mask_of(const std::vector<std::vector<int>>& rows, DType dtype = DType::Float64) {
    const int64_t B = static_cast<int64_t>(rows.size()), N = static_cast<int64_t>(rows[0].size());
    std::vector<double> m;
    for (const auto& r : rows)
        m.insert(m.end(), r.begin(), r.end());
    return from_vector(m, {B, N}, {dtype});
}

// 1 for the first `len` of N positions.
std::vector<int> prefix(int64_t len, int64_t N) {
    std::vector<int> r(N, 0);
    for (int64_t i = 0; i < len; ++i)
        r[i] = 1;
    return r;
}

TEST(LandmarkSegments, PerExampleSplitsTheRealTokensIntoNearlyEqualSegments) {
    // real lengths 10 (m = 4: sizes 2, 3, 2, 3), 3 (< m: one landmark per token), 0, and a mask
    // with holes (real positions 1, 2, 5, 7, 8: sizes 1, 1, 1, 2)
    const Tensor mask = mask_of(
        {prefix(10, 12), prefix(3, 12), prefix(0, 12), {0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0}});
    const ops::LandmarkSegments seg =
        ops::landmark_segments(mask, 4, ops::LandmarkMode::PerExample);
    ASSERT_EQ(seg.landmarks(), 4);
    const std::vector<int64_t> bounds = seg.bounds.to_vector<int64_t>();
    EXPECT_EQ(bounds, (std::vector<int64_t>{0, 2, 5, 7, 10,  //
                                            0, 1, 2, 3, 3,   //
                                            0, 0, 0, 0, 0,   //
                                            0, 1, 2, 3, 5}));
    const std::vector<int64_t> segment = seg.segment.to_vector<int64_t>();
    EXPECT_EQ(std::vector<int64_t>(segment.begin(), segment.begin() + 12),
              (std::vector<int64_t>{0, 0, 1, 1, 1, 2, 2, 3, 3, 3, -1, -1}));
    EXPECT_EQ(std::vector<int64_t>(segment.begin() + 36, segment.end()),
              (std::vector<int64_t>{-1, 0, 1, -1, -1, 2, -1, 3, 3, -1, -1, -1}));
    const std::vector<int64_t> order = seg.order.to_vector<int64_t>();
    EXPECT_EQ(std::vector<int64_t>(order.begin() + 36, order.begin() + 41),
              (std::vector<int64_t>{1, 2, 5, 7, 8}));
    // examples 1 and 2 leave slots empty: the biases exist and mask exactly those
    ASSERT_TRUE(seg.landmark_bias.defined() && seg.pair_bias.defined());
    const std::vector<double> fb = seg.landmark_bias.to_vector<double>();
    EXPECT_EQ(fb,
              (std::vector<double>{0, 0, 0, 0, 0, 0, 0, -1e9, -1e9, -1e9, -1e9, -1e9, 0, 0, 0, 0}));
    const std::vector<double> ab = seg.pair_bias.to_vector<double>();  // example 1: 3 real slots
    EXPECT_EQ(
        std::vector<double>(ab.begin() + 16, ab.begin() + 32),
        (std::vector<double>{0, 0, 0, -1e9, 0, 0, 0, -1e9, 0, 0, 0, -1e9, -1e9, -1e9, -1e9, 0}));
}

TEST(LandmarkSegments, NoBiasesWhenEveryExampleFillsEverySlot) {
    const Tensor mask = mask_of({prefix(9, 10), prefix(4, 10)});
    const ops::LandmarkSegments seg =
        ops::landmark_segments(mask, 4, ops::LandmarkMode::PerExample);
    EXPECT_FALSE(seg.landmark_bias.defined());
    EXPECT_FALSE(seg.pair_bias.defined());
    // more landmarks than positions: min(m, N) slots
    EXPECT_EQ(ops::landmark_segments(mask, 64, ops::LandmarkMode::PerExample).landmarks(), 10);
}

TEST(LandmarkSegments, ReferenceSegmentsAreEqualSplitsOfThePaddedLength) {
    const Tensor mask = mask_of({prefix(5, 12)});
    const ops::LandmarkSegments seg = ops::landmark_segments(mask, 4, ops::LandmarkMode::Reference);
    EXPECT_EQ(seg.bounds.to_vector<int64_t>(), (std::vector<int64_t>{0, 3, 6, 9, 12}));
    EXPECT_FALSE(seg.landmark_bias.defined());
    // padding counted: the mean of segment 1 (positions 3..5) includes padded position 5
    const Tensor x = random_tensor({1, 12, 3}, 1);
    const Tensor means = ops::landmark_mean(x, seg);
    const Tensor expected = mean(x.narrow(1, 3, 3), {1});
    EXPECT_LT(relative_error(means.narrow(1, 1, 1).view({1, 3}), expected), 1e-15);
    EXPECT_THROW(ops::landmark_segments(mask_of({prefix(5, 10)}), 4, ops::LandmarkMode::Reference),
                 Error);
}

TEST(LandmarkSegments, MeanAndItsGradientAgreeWithADenseAveragingMatrix) {
    // x [B H, N, D] with H = 2; P[b] [M, N] the averaging matrix of example b
    const Tensor mask = mask_of({prefix(7, 9), {1, 0, 1, 1, 0, 1, 0, 0, 1}});
    const ops::LandmarkSegments seg =
        ops::landmark_segments(mask, 3, ops::LandmarkMode::PerExample);
    const std::vector<int64_t> segment = seg.segment.to_vector<int64_t>();
    const std::vector<int64_t> bounds = seg.bounds.to_vector<int64_t>();
    std::vector<double> P(2 * 3 * 9, 0.0);
    for (int64_t b = 0; b < 2; ++b) {
        for (int64_t i = 0; i < 9; ++i) {
            const int64_t j = segment[b * 9 + i];
            if (j >= 0) P[(b * 3 + j) * 9 + i] = 1.0 / (bounds[b * 4 + j + 1] - bounds[b * 4 + j]);
        }
    }
    const Tensor Pt = from_vector(P, {2, 1, 3, 9}, {DType::Float64});
    const Tensor x = random_tensor({4, 9, 5}, 2);
    const Tensor dense = matmul(Pt, x.view({2, 2, 9, 5})).view({4, 3, 5});
    EXPECT_LT(relative_error(ops::landmark_mean(x, seg), dense), 1e-15);
    const Tensor dl = random_tensor({4, 3, 5}, 3);
    Tensor dx = random_tensor({4, 9, 5}, 4);
    const Tensor expected = dx + matmul(Pt.mT(), dl.view({2, 2, 3, 5})).view({4, 9, 5});
    ops::landmark_mean_backward_add(dx, dl, seg);
    EXPECT_LT(relative_error(dx, expected), 1e-15);
}

// Nystrom of a padded batch of ragged lengths, and of each example alone (cut to its real
// length): the largest relative difference between the real rows of the outputs and of dq, dk,
// dv in the two.
double batch_vs_alone(DType dtype, const ops::NystromConfig& cfg) {
    const int64_t B = 4, H = 2, N = 40, D = 8;
    const std::vector<int64_t> lengths = {40, 23, 5, 31};  // 5 < m: fewer landmarks
    std::vector<std::vector<int>> rows;
    for (int64_t L : lengths)
        rows.push_back(prefix(L, N));
    const Tensor mask = mask_of(rows, dtype);
    auto input = [&](uint64_t seed) {
        return random_tensor({B, H, N, D}, seed, dtype, -2.0, 2.0).requires_grad_();
    };
    Tensor q = input(11), k = input(12), v = input(13);
    // the upstream gradient is zero on padded query rows, as after the encoder's final mask
    const Tensor g = random_tensor({B, H, N, D}, 14, dtype) * mask.view({B, 1, N, 1});
    const Tensor out = nystrom_attention(q, k, v, mask, cfg);
    sum(out * g).backward();
    double worst = 0.0;
    for (int64_t b = 0; b < B; ++b) {
        const int64_t L = lengths[b];
        auto alone = [&](const Tensor& x) {
            return x.detach().narrow(0, b, 1).narrow(2, 0, L).contiguous().requires_grad_();
        };
        Tensor qa = alone(q), ka = alone(k), va = alone(v);
        const Tensor ma = mask.narrow(0, b, 1).narrow(1, 0, L).contiguous();
        const Tensor oa = nystrom_attention(qa, ka, va, ma, cfg);
        sum(oa * g.narrow(0, b, 1).narrow(2, 0, L)).backward();
        auto rows_of = [&](const Tensor& x) { return x.narrow(0, b, 1).narrow(2, 0, L); };
        for (const auto& [in_batch, by_itself] :
             {std::pair{out.detach(), oa.detach()}, std::pair{q.grad(), qa.grad()},
              std::pair{k.grad(), ka.grad()}, std::pair{v.grad(), va.grad()}}) {
            const double err = relative_error(rows_of(in_batch), by_itself);
            if (!(err <= worst)) worst = err;  // keeps a NaN, which fails the comparisons
        }
    }
    return worst;
}

constexpr ops::NystromConfig kPerExample{8, 6, ops::PinvInit::PerMatrix,
                                         ops::LandmarkMode::PerExample};

TEST(NystromPerExample, AnExampleGivesTheSameAloneAndInABatch) {
    EXPECT_LT(batch_vs_alone(DType::Float64, kPerExample), 1e-10);
    EXPECT_LT(batch_vs_alone(DType::Float32, kPerExample), 1e-5);
}

TEST(NystromPerExample, TheGlobalInitAndTheReferenceLandmarksCoupleTheBatch) {
    // what the property above rules out: the reference's batch-wide init scale ...
    ops::NystromConfig global = kPerExample;
    global.init = ops::PinvInit::Global;
    EXPECT_GT(batch_vs_alone(DType::Float64, global), 1e-6);
    // ... and its segments of the padded length (each example alone is padded to a multiple of
    // m inside nystrom_attention, differently from the batch)
    ops::NystromConfig reference = kPerExample;
    reference.mode = ops::LandmarkMode::Reference;
    EXPECT_GT(batch_vs_alone(DType::Float64, reference), 1e-6);
}

TEST(NystromPerExample, EqualsTheReferenceWithoutPaddingWhenMDividesN) {
    const int64_t B = 2, H = 2, N = 24, D = 4;
    const Tensor mask = ones({B, N}, {DType::Float64});
    const Tensor q = random_tensor({B, H, N, D}, 21), k = random_tensor({B, H, N, D}, 22),
                 v = random_tensor({B, H, N, D}, 23);
    for (auto init : {ops::PinvInit::PerMatrix, ops::PinvInit::Global}) {
        const Tensor per =
            nystrom_attention(q, k, v, mask, {6, 6, init, ops::LandmarkMode::PerExample});
        const Tensor ref =
            nystrom_attention(q, k, v, mask, {6, 6, init, ops::LandmarkMode::Reference});
        EXPECT_LT(relative_error(per, ref), 1e-13);
    }
}

TEST(NystromPerExample, AShortExampleGetsExactAttentionOverItsTokens) {
    // L = 5 real tokens < m = 8 landmarks: every token is a landmark, so F pinv(A) Bk = softmax
    // once the pseudo-inverse has converged (A well conditioned: strongly peaked scores).
    const int64_t H = 2, N = 9, D = 4;
    const Tensor mask = mask_of({prefix(5, N)});
    const Tensor base = random_tensor({1, H, N, D}, 31, DType::Float64, -3.0, 3.0);
    const Tensor q = base, k = base + 0.1 * random_tensor({1, H, N, D}, 32);
    const Tensor v = random_tensor({1, H, N, D}, 33);
    const Tensor approx = nystrom_attention(
        q, k, v, mask, {8, 40, ops::PinvInit::PerMatrix, ops::LandmarkMode::PerExample});
    const Tensor exact = softmax_attention(q, k, v, mask);
    EXPECT_LT(relative_error(approx.narrow(2, 0, 5), exact.narrow(2, 0, 5)), 1e-9);
}

TEST(NystromPerExample, GradcheckWithShortAndEmptyExamples) {
    const Tensor mask = mask_of({prefix(11, 11),
                                 prefix(6, 11),
                                 {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0},
                                 prefix(2, 11),
                                 prefix(0, 11)});
    Tensor q = leaf({5, 2, 11, 4}, 41), k = leaf({5, 2, 11, 4}, 42), v = leaf({5, 2, 11, 4}, 43);
    testing::gradcheck(
        [&](const std::vector<Tensor>& in) {
            return nystrom_attention(
                in[0], in[1], in[2], mask,
                {4, 6, ops::PinvInit::PerMatrix, ops::LandmarkMode::PerExample});
        },
        {q, k, v}, {}, "per-example nystrom");
}

}  // namespace
}  // namespace lm
