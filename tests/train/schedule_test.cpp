// LR schedules. One-cycle values are PyTorch 1.13's OneCycleLR(max_lr, total_steps,
// pct_start = warmup / total, anneal_strategy='linear'), read from optimizer.param_groups[0]
// before each optimizer step; by hand: phase 1 ends at pct_start * total - 1, and
// lr = (end - start) * pct + start with pct = (step - phase start) / (phase end - phase start).
// E.g. total 20, warmup 5, max 1e-3: initial 4e-5, min 4e-9, phase 1 ends at step 4;
// step 2: pct 0.5 -> 5.2e-4; step 5: pct 1/15 -> 1e-3 - (1e-3 - 4e-9) / 15 = 9.333336e-4.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "core/base/check.h"
#include "train/schedule.h"

namespace lm::train {
namespace {

ScheduleConfig onecycle(int64_t total, int64_t warmup) {
    ScheduleConfig c;
    c.total_steps = total;
    c.warmup_steps = warmup;
    return c;
}

struct Point {
    int64_t step;
    double lr, beta1;
};

void expect_points(const Schedule& s, const std::vector<Point>& points) {
    for (const Point& p : points) {
        EXPECT_DOUBLE_EQ(s.lr(p.step), p.lr) << "step " << p.step;
        ASSERT_TRUE(s.beta1(p.step).has_value());
        EXPECT_DOUBLE_EQ(*s.beta1(p.step), p.beta1) << "step " << p.step;
    }
}

TEST(Schedule, OneCycleMatchesTorchShort) {
    expect_points(Schedule(onecycle(20, 5), 1e-3), {{0, 4e-05, 0.95},
                                                    {1, 0.00028000000000000003, 0.9249999999999999},
                                                    {2, 0.0005200000000000001, 0.8999999999999999},
                                                    {3, 0.00076, 0.875},
                                                    {4, 0.001, 0.85},
                                                    {5, 0.0009333336, 0.8566666666666667},
                                                    {6, 0.0008666672000000001, 0.8633333333333333},
                                                    {10, 0.0006000016, 0.89},
                                                    {15, 0.0002666696000000001, 0.9233333333333333},
                                                    {18, 6.667040000000004e-05, 0.9433333333333332},
                                                    {19, 4.000000000062981e-09, 0.95}});
}

TEST(Schedule, OneCycleMatchesTorchReferenceSetup) {
    // ListOps: lr 1e-4, warmup 1000, 5000 steps; Retrieval: warmup 800, 30000 steps.
    expect_points(Schedule(onecycle(5000, 1000), 1e-4),
                  {{0, 4e-06, 0.95},
                   {1, 4.096096096096096e-06, 0.9498998998998999},
                   {500, 5.204804804804806e-05, 0.8999499499499499},
                   {998, 9.990390390390391e-05, 0.8501001001001001},
                   {999, 0.0001, 0.85},
                   {1000, 9.997500010000001e-05, 0.850025},
                   {1001, 9.99500002e-05, 0.85005},
                   {3000, 4.997520010000001e-05, 0.900025},
                   {4998, 2.5399899999996463e-08, 0.949975},
                   {4999, 4.000000000008771e-10, 0.95}});
    expect_points(Schedule(onecycle(30000, 800), 1e-4),
                  {{0, 4e-06, 0.95},
                   {799, 0.0001, 0.85},
                   {800, 9.999657535616439e-05, 0.8500034246575342},
                   {29999, 4.000000000008771e-10, 0.95}});
}

TEST(Schedule, OneCycleWithoutWarmup) {
    // pct_start 0: phase 1 ends at -1, so step s is at pct (s + 1) / total of the decay.
    expect_points(Schedule(onecycle(10, 0), 1e-3), {{0, 0.0009000004, 0.86},
                                                    {1, 0.0008000008, 0.87},
                                                    {4, 0.000500002, 0.8999999999999999},
                                                    {8, 0.00010000360000000008, 0.94},
                                                    {9, 4.000000000062981e-09, 0.95}});
}

TEST(Schedule, OneCyclePastTheEndAndEdgeCases) {
    const Schedule s(onecycle(20, 5), 1e-3);
    EXPECT_EQ(s.lr(20), s.lr(19));
    EXPECT_EQ(s.lr(1000), s.lr(19));
    EXPECT_THROW(s.lr(-1), Error);
    // A one-step warmup (PyTorch divides by zero there) starts at the peak.
    EXPECT_DOUBLE_EQ(Schedule(onecycle(10, 1), 1e-3).lr(0), 1e-3);
    EXPECT_DOUBLE_EQ(Schedule(onecycle(4, 1), 1e-3).lr(0), 1e-3);
    EXPECT_DOUBLE_EQ(*Schedule(onecycle(4, 1), 1e-3).beta1(0), 0.85);
    ScheduleConfig c = onecycle(20, 5);
    c.cycle_momentum = false;
    EXPECT_FALSE(Schedule(c, 1e-3).beta1(3).has_value());
}

TEST(Schedule, LinearWarmupThenDecay) {
    ScheduleConfig c;
    c.type = "linear";
    c.warmup_steps = 4;
    c.total_steps = 14;
    c.min_lr_ratio = 0.1;
    const Schedule s(c, 1.0);
    EXPECT_DOUBLE_EQ(s.lr(0), 0.25);  // (s + 1) / warmup
    EXPECT_DOUBLE_EQ(s.lr(3), 1.0);
    EXPECT_DOUBLE_EQ(s.lr(4), 1.0);  // decay progress (s - 4) / 10
    EXPECT_DOUBLE_EQ(s.lr(9), 0.1 + 0.9 * 0.5);
    EXPECT_DOUBLE_EQ(s.lr(14), 0.1);
    EXPECT_DOUBLE_EQ(s.lr(100), 0.1);
    EXPECT_FALSE(s.beta1(5).has_value());
}

TEST(Schedule, CosineAndConstant) {
    ScheduleConfig c;
    c.type = "cosine";
    c.warmup_steps = 2;
    c.total_steps = 12;
    const Schedule cos(c, 2.0);
    EXPECT_DOUBLE_EQ(cos.lr(0), 1.0);
    EXPECT_DOUBLE_EQ(cos.lr(2), 2.0);
    EXPECT_DOUBLE_EQ(cos.lr(7), 2.0 * 0.5 * (1 + std::cos(std::numbers::pi * 0.5)));
    EXPECT_NEAR(cos.lr(12), 0.0, 1e-15);
    c.type = "constant";
    const Schedule constant(c, 2.0);
    EXPECT_DOUBLE_EQ(constant.lr(1), 2.0);
    EXPECT_DOUBLE_EQ(constant.lr(500), 2.0);
    c.warmup_steps = 0;
    EXPECT_DOUBLE_EQ(Schedule(c, 2.0).lr(0), 2.0);
}

TEST(Schedule, RejectsBadConfigs) {
    ScheduleConfig c = onecycle(10, 20);
    EXPECT_THROW(Schedule(c, 1e-3), Error);
    c = onecycle(0, 0);
    EXPECT_THROW(Schedule(c, 1e-3), Error);
    c = onecycle(10, 2);
    c.type = "step";
    try {
        Schedule s(c, 1e-3);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("onecycle, linear, cosine, constant"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace lm::train
