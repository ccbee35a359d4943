// Optimizer element math of kernels/optim.h on the host, against values worked out by hand from
// PyTorch 1.13's update formulas (and, to the last digits, torch.optim in float64).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/kernels/optim.h"

namespace lm::kernels {
namespace {

TEST(OptimKernel, AdamCoeffsFollowBiasCorrection) {
    // step 2, beta1 0.9, beta2 0.999: step_size = lr / (1 - 0.81), bc2 = sqrt(1 - 0.998001)
    const AdamCoeffs c = adam_coeffs(1e-2, 0.9, 0.999, 1e-6, 0.1, 2, /*decoupled=*/true);
    EXPECT_DOUBLE_EQ(c.step_size, 1e-2 / 0.19);
    EXPECT_DOUBLE_EQ(c.bias_correction2_sqrt, std::sqrt(1.0 - 0.999 * 0.999));
    EXPECT_DOUBLE_EQ(c.decay_factor, 1.0 - 1e-3);
    EXPECT_EQ(c.l2, 0.0);
    const AdamCoeffs l2 = adam_coeffs(1e-2, 0.9, 0.999, 1e-6, 0.1, 2, /*decoupled=*/false);
    EXPECT_EQ(l2.l2, 0.1);
    EXPECT_EQ(l2.decay_factor, 1.0);
}

TEST(OptimKernel, AdamWFirstStepByHand) {
    // p = 0.5, g = 0.1, lr 1e-2, wd 0.1, step 1:
    //   p <- 0.5 (1 - 1e-3) = 0.4995; m = 0.1 * 0.1 = 0.01; v = 0.001 * 0.01 = 1e-5
    //   denom = sqrt(1e-5) / sqrt(1e-3) + 1e-6 = 0.100001; p <- 0.4995 - (1e-2 / 0.1) 0.01 / denom
    double p = 0.5, m = 0, v = 0;
    const AdamUpdate<double> f(adam_coeffs(1e-2, 0.9, 0.999, 1e-6, 0.1, 1, true));
    f(p, 0.1, m, v);
    EXPECT_DOUBLE_EQ(m, 0.01);
    EXPECT_DOUBLE_EQ(v, (1 - 0.999) * 0.1 * 0.1);  // 1 - 0.999 is not exactly 1e-3 in double
    EXPECT_DOUBLE_EQ(p, 0.4995 - 0.1 * 0.01 / 0.100001);
    EXPECT_DOUBLE_EQ(p, 0.489500099999);  // torch.optim.AdamW in float64
}

TEST(OptimKernel, AdamL2FirstStepByHand) {
    // Adam adds wd p to the gradient: g = 0.1 + 0.1 * 0.5 = 0.15; m = 0.015; v = 2.25e-5;
    // denom = sqrt(2.25e-5) / sqrt(1e-3) + 1e-6 = 0.150001; p = 0.5 - 0.1 * 0.015 / denom
    double p = 0.5, m = 0, v = 0;
    const AdamUpdate<double> f(adam_coeffs(1e-2, 0.9, 0.999, 1e-6, 0.1, 1, false));
    f(p, 0.1, m, v);
    EXPECT_DOUBLE_EQ(m, 0.015);
    EXPECT_DOUBLE_EQ(p, 0.5 - 0.1 * 0.015 / 0.150001);
    EXPECT_DOUBLE_EQ(p, 0.4900000666662222);  // torch.optim.Adam in float64
}

TEST(OptimKernel, AdamFloatMatchesDouble) {
    float pf = 0.5f, mf = 0.02f, vf = 3e-4f;
    double pd = 0.5, md = 0.02, vd = 3e-4;
    const AdamCoeffs c = adam_coeffs(1e-3, 0.9, 0.999, 1e-6, 0.01, 7, true);
    const AdamUpdate<float> ff(c);
    const AdamUpdate<double> fd(c);
    ff(pf, -0.3f, mf, vf);
    fd(pd, -0.3, md, vd);
    EXPECT_NEAR(pf, pd, 1e-7);
    EXPECT_NEAR(mf, md, 1e-8);
    EXPECT_NEAR(vf, vd, 1e-10);
}

TEST(OptimKernel, SgdMomentumByHand) {
    // lr 0.1, momentum 0.9, wd 0.1; p = 0.5.
    // step 1: d = 0.1 + 0.05 = 0.15, b = d, p = 0.5 - 0.015 = 0.485
    // step 2: d = -0.05 + 0.0485 = -0.0015, b = 0.135 - 0.0015 = 0.1335, p = 0.485 - 0.01335
    SgdCoeffs c;
    c.lr = 0.1;
    c.momentum = 0.9;
    c.weight_decay = 0.1;
    c.first_step = true;
    double p = 0.5, b = 12345;  // the first step ignores the buffer's contents
    SgdUpdate<double>{c}(p, 0.1, b);
    EXPECT_DOUBLE_EQ(b, 0.15);
    EXPECT_DOUBLE_EQ(p, 0.485);
    c.first_step = false;
    SgdUpdate<double>{c}(p, -0.05, b);
    EXPECT_DOUBLE_EQ(b, 0.1335);
    EXPECT_DOUBLE_EQ(p, 0.47165);
}

TEST(OptimKernel, SgdNesterovAndPlainByHand) {
    SgdCoeffs c;
    c.lr = 0.1;
    c.momentum = 0.9;
    c.nesterov = true;
    c.first_step = true;
    double p = 0.5, b = 0;
    SgdUpdate<double>{c}(p, 0.1, b);  // b = 0.1, d = 0.1 + 0.09 = 0.19, p = 0.481
    EXPECT_DOUBLE_EQ(p, 0.481);
    c.first_step = false;
    SgdUpdate<double>{c}(p, -0.05, b);  // b = 0.04, d = -0.05 + 0.036, p = 0.481 + 0.0014
    EXPECT_DOUBLE_EQ(b, 0.04);
    EXPECT_DOUBLE_EQ(p, 0.4824);

    SgdCoeffs plain;
    plain.lr = 0.1;
    plain.weight_decay = 0.1;
    double q = 0.5;
    SgdUpdate<double>{plain}(q, 0.1);  // q = 0.5 - 0.1 (0.1 + 0.05)
    EXPECT_DOUBLE_EQ(q, 0.485);
}

TEST(OptimKernel, ClippingElements) {
    EXPECT_EQ(grad_square(3.0f), 9.0);
    // squared in double: 1e40 would overflow float
    EXPECT_EQ(grad_square(-1e20f), double(-1e20f) * double(-1e20f));
    EXPECT_TRUE(std::isfinite(grad_square(-1e20f)));
    EXPECT_DOUBLE_EQ(clip_coefficient(13.0, 6.5), 6.5 / (13.0 + 1e-6));
    EXPECT_EQ(clip_coefficient(1.0, 5.0), 1.0);

    float x = 3.0f;
    ScaleBy<float>{0.5f}(x);
    EXPECT_EQ(x, 1.5f);
    const ClampTo<double> clamp{-1.0, 1.0};
    double a = 2.5, b = -3.0, c = 0.25, n = std::numeric_limits<double>::quiet_NaN();
    clamp(a);
    clamp(b);
    clamp(c);
    clamp(n);
    EXPECT_EQ(a, 1.0);
    EXPECT_EQ(b, -1.0);
    EXPECT_EQ(c, 0.25);
    EXPECT_TRUE(std::isnan(n));
}

}  // namespace
}  // namespace lm::kernels
