// The per-lane pieces of the warp-per-row ("v2") CUDA row kernels (core/kernels/row_parts.h and the families' headers) run
// on the CPU: every lane of a 32-lane warp in turn, the partials combined as the shuffles combine
// them, and the result compared with the sequential row functions the CPU backend and the v1
// kernels use (softmax.h, layer_norm.h, cross_entropy.h, attention.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/kernels/attention.h"
#include "core/kernels/cross_entropy.h"
#include "core/kernels/layer_norm.h"
#include "core/kernels/row_parts.h"
#include "core/kernels/softmax.h"

namespace lm::kernels {
namespace {

constexpr int kLanes = 32;
const int64_t kWidths[] = {1, 5, 31, 32, 33, 100, 257};

std::vector<double> row(int64_t n, uint32_t seed, double scale = 3.0) {
    std::vector<double> v(static_cast<size_t>(n));
    uint32_t s = seed * 747796405u + 1;
    for (double& x : v) {
        s = s * 1664525u + 1013904223u;
        x = scale * (static_cast<double>((s >> 8) % 20001) / 10000.0 - 1.0);
    }
    return v;
}

// The warp's reduction of f(lane) over all lanes.
template <class T, class F, class Op>
T over_lanes(const F& f, Op op) {
    T r = f(0);
    for (int lane = 1; lane < kLanes; ++lane)
        r = op(r, f(lane));
    return r;
}
template <class F>
void each_lane(const F& f) {
    for (int lane = 0; lane < kLanes; ++lane)
        f(lane);
}

void expect_rows_near(const std::vector<double>& a,
                      const std::vector<double>& b,
                      double tol,
                      const char* what) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        ASSERT_NEAR(a[i], b[i], tol) << what << " at " << i;
}

TEST(RowParts, SoftmaxAndLogSoftmax) {
    for (int64_t n : kWidths) {
        const auto x = row(n, 1 + n), dy = row(n, 2 + n);
        for (bool log : {false, true}) {
            std::vector<double> ref(x.size()), got(x.size()), dref(x.size()), dgot(x.size());
            if (log)
                log_softmax_row_forward(x.data(), ref.data(), n);
            else
                softmax_row_forward(x.data(), ref.data(), n);
            const double m = over_lanes<double>(
                [&](int l) { return lane_max<double>(x.data(), n, l, kLanes); }, MaxOp{});
            const double s = over_lanes<double>(
                [&](int l) { return lane_sum_exp<double>(x.data(), n, m, l, kLanes); }, SumOp{});
            each_lane(
                [&](int l) { lane_softmax_write(x.data(), got.data(), n, m, s, log, l, kLanes); });
            expect_rows_near(got, ref, 1e-12, "forward");
            if (log)
                log_softmax_row_backward(ref.data(), dy.data(), dref.data(), n);
            else
                softmax_row_backward(ref.data(), dy.data(), dref.data(), n);
            const double red = over_lanes<double>(
                [&](int l) {
                    return log ? lane_sum<double>(dy.data(), n, l, kLanes)
                               : lane_dot<double>(dy.data(), got.data(), n, l, kLanes);
                },
                SumOp{});
            each_lane([&](int l) {
                lane_softmax_backward_write(got.data(), dy.data(), dgot.data(), n, red, log, l,
                                            kLanes);
            });
            expect_rows_near(dgot, dref, 1e-12, "backward");
        }
    }
}

TEST(RowParts, LayerNormForwardAndBackward) {
    for (int64_t n : kWidths) {
        const auto x = row(n, 3 + n), w = row(n, 4 + n), b = row(n, 5 + n), dy = row(n, 6 + n);
        std::vector<double> ref(x.size()), got(x.size()), dref(x.size()), dgot(x.size());
        double mean = 0, rstd = 0;
        layernorm_row_forward(x.data(), w.data(), b.data(), ref.data(), &mean, &rstd, n, 1e-5);
        const double mu =
            over_lanes<double>([&](int l) { return lane_sum<double>(x.data(), n, l, kLanes); },
                               SumOp{}) /
            static_cast<double>(n);
        const double var =
            over_lanes<double>(
                [&](int l) { return lane_sq_dev<double>(x.data(), n, mu, l, kLanes); }, SumOp{}) /
            n;
        const double r = 1.0 / std::sqrt(var + 1e-5);
        EXPECT_NEAR(mu, mean, 1e-12);
        EXPECT_NEAR(r, rstd, 1e-9 * rstd);
        each_lane([&](int l) {
            lane_layernorm_write(x.data(), w.data(), b.data(), got.data(), n, mu, r, l, kLanes);
        });
        expect_rows_near(got, ref, 1e-10, "layer norm forward");
        layernorm_row_backward<double>(x.data(), w.data(), dy.data(), mean, rstd, dref.data(),
                                       nullptr, nullptr, n);
        LnGradSums<double> sums;
        each_lane([&](int l) {
            const auto p = lane_layernorm_grad_sums<double>(x.data(), w.data(), dy.data(), n, mean,
                                                            rstd, l, kLanes);
            sums.g += p.g;
            sums.gx += p.gx;
        });
        each_lane([&](int l) {
            lane_layernorm_dx_write(x.data(), w.data(), dy.data(), dgot.data(), n, mean, rstd, sums,
                                    l, kLanes);
        });
        expect_rows_near(dgot, dref, 1e-9, "layer norm backward");
    }
}

TEST(RowParts, CrossEntropy) {
    for (int64_t n : kWidths) {
        const auto x = row(n, 7 + n);
        const int64_t t = n / 2;
        for (double eps : {0.0, 0.1}) {
            const double ref = cross_entropy_row_forward(x.data(), t, n, eps);
            const double m = over_lanes<double>(
                [&](int l) { return lane_max<double>(x.data(), n, l, kLanes); }, MaxOp{});
            const double s = over_lanes<double>(
                [&](int l) { return lane_sum_exp<double>(x.data(), n, m, l, kLanes); }, SumOp{});
            const double sum = over_lanes<double>(
                [&](int l) { return lane_sum<double>(x.data(), n, l, kLanes); }, SumOp{});
            const double lse = m + std::log(s);
            EXPECT_NEAR(cross_entropy_loss(lse, x[t], sum / n, eps), ref, 1e-12);
            std::vector<double> dref(x.size()), dgot(x.size());
            cross_entropy_row_backward(x.data(), t, n, eps, 0.5, dref.data());
            each_lane([&](int l) {
                lane_cross_entropy_dx_write(x.data(), dgot.data(), n, t, lse, eps, 0.5, l, kLanes);
            });
            expect_rows_near(dgot, dref, 1e-12, "cross-entropy backward");
        }
    }
}

TEST(RowParts, AttentionRowsAndDropout) {
    for (int64_t n : kWidths) {
        const auto s0 = row(n, 8 + n), bias = row(n, 9 + n, 0.5);
        std::vector<double> ref = s0, got = s0;
        const double lse_ref = attention_row_softmax(ref.data(), bias.data(), n);
        const double m = over_lanes<double>(
            [&](int l) { return lane_add_bias_max(got.data(), bias.data(), n, l, kLanes); },
            MaxOp{});
        const double sum = over_lanes<double>(
            [&](int l) { return lane_exp_sum_inplace(got.data(), n, m, l, kLanes); }, SumOp{});
        each_lane([&](int l) { lane_scale_inplace(got.data(), n, 1.0 / sum, l, kLanes); });
        expect_rows_near(got, ref, 1e-12, "attention softmax");
        EXPECT_NEAR(m + std::log(sum), lse_ref, 1e-12);
        std::vector<double> probs = s0;
        each_lane(
            [&](int l) { lane_probs_from_lse(probs.data(), bias.data(), lse_ref, n, l, kLanes); });
        expect_rows_near(probs, ref, 1e-12, "probabilities from lse");
        std::vector<uint8_t> keep(static_cast<size_t>(n));
        attention_keep_row(keep.data(), 42, 7, 13 * n, n, 0.3f);
        std::vector<double> dropped = ref;
        each_lane([&](int l) {
            lane_dropout_inplace(dropped.data(), n, 42, 7, 13 * n, 0.3f, 1.0 / 0.7, l, kLanes);
        });
        for (int64_t j = 0; j < n; ++j) {
            ASSERT_EQ(dropped[j], keep[j] ? ref[j] * (1.0 / 0.7) : 0.0) << "dropout at " << j;
        }
    }
}

TEST(RowParts, ArgBestMatchesTheSequentialScan) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::vector<double>> rows = {
        {1, 3, 3, 2}, {5}, {2, 2, 2}, {1, nan, 4, nan}, row(100, 11)};
    rows[4][70] = rows[4][3] = 9.0;  // a tie: the first position wins
    for (const auto& x : rows) {
        const int64_t n = static_cast<int64_t>(x.size());
        for (bool is_min : {false, true}) {
            int64_t best = 0;
            for (int64_t i = 1; i < n; ++i) {
                if (std::isnan(x[best])) break;
                if (std::isnan(x[i]) || (is_min ? x[i] < x[best] : x[i] > x[best])) best = i;
            }
            ArgBest<double> r{0, -1};
            each_lane([&](int l) {
                r = argbest_merge(r, lane_argbest(x.data(), n, is_min, l, kLanes), is_min);
            });
            EXPECT_EQ(r.index, best) << "n " << n << " min " << is_min;
        }
    }
}

}  // namespace
}  // namespace lm::kernels
