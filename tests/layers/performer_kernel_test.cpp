// "performer": FAVOR+ estimates converge to exact softmax as features grow (both scalings),
// gradients, padding, redraw schedule, determinism from the seed.
#include "layers/attention/performer_kernel.h"
#include "layers/attention/exact_reference.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig performer_config(int64_t m, const std::string& scale = "standard") {
    AttentionConfig cfg;
    cfg.type = "performer";
    cfg.performer_features = m;
    cfg.scale = scale;
    return cfg;
}

PerformerKernel& performer(zoo::TestKernel& t) {
    return dynamic_cast<PerformerKernel&>(*t.kernel);
}

TEST(PerformerKernel, ConvergesToExactSoftmaxAsFeaturesGrow) {
    const int64_t N = 24, d = 8;
    const Tensor mask = zoo::padding_mask(1, N, {20});
    const Tensor q = testing::random_tensor({1, 2, N, d}, 1, DType::Float64, -1, 1);
    const Tensor k = testing::random_tensor({1, 2, N, d}, 2, DType::Float64, -1, 1);
    const Tensor v = testing::random_tensor({1, 2, N, d}, 3);
    const Tensor keep = mask.view({1, 1, N, 1});
    for (const std::string scale : {"standard", "reference"}) {
        auto reference_of = [&](zoo::TestKernel& t) {
            const Tensor own = own_exact_reference(*t.kernel, q, k, v, mask);
            return own.defined() ? own : exact_softmax(q, k, v, mask);
        };
        double err_small = 0, err_large = 0;
        for (int64_t m : {8, 4096}) {
            auto t = zoo::make_kernel(performer_config(m, scale), 2, d, N);
            const double scl = performer(t).logit_scale();
            EXPECT_DOUBLE_EQ(scl, scale == "standard" ? 1 / std::sqrt(8.0) : 1 / 8.0);
            const Tensor exact = reference_of(t) * keep;
            EXPECT_LT(testing::max_abs_diff(exact, exact_softmax(q, k, v, mask, scl) * keep),
                      1e-14);
            (m == 8 ? err_small : err_large) =
                testing::relative_error(t(q, k, v, mask) * keep, exact);
        }
        EXPECT_LT(err_large, 0.05) << scale;
        EXPECT_LT(err_large, err_small / 4) << scale;
    }
}

TEST(PerformerKernel, GradcheckAndPadding) {
    auto t = zoo::make_kernel(performer_config(6), 2, 4, 8);
    const Tensor mask = zoo::padding_mask(2, 6, {6, 4});
    zoo::gradcheck_kernel(t, mask, {2, 2, 6, 4});
    const Tensor q = testing::random_tensor({2, 2, 6, 4}, 7),
                 k = testing::random_tensor({2, 2, 6, 4}, 8);
    const Tensor v = testing::random_tensor({2, 2, 6, 4}, 9);
    EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-14);
}

TEST(PerformerKernel, RedrawsEveryIntervalInTrainingOnlyAndDeterministically) {
    AttentionConfig cfg = performer_config(5);
    cfg.redraw_interval = 2;
    auto t = zoo::make_kernel(cfg, 1, 4, 8);
    auto twin = zoo::make_kernel(cfg, 1, 4, 8);
    const Tensor mask = zoo::padding_mask(1, 3, {3});
    const Tensor x = testing::random_tensor({1, 1, 3, 4}, 10);
    auto omega = [&](zoo::TestKernel& k) { return performer(k).omega.clone(); };
    const Tensor w0 = omega(t);
    t.kernel->forward(x, x, x, mask);  // eval: no redraw, no count
    EXPECT_TRUE(testing::bitwise_equal(omega(t), w0));
    t.kernel->train();
    twin.kernel->train();
    std::vector<bool> changed;
    for (int call = 1; call <= 5; ++call) {
        const Tensor before = omega(t);
        t.kernel->forward(x, x, x, mask);
        twin.kernel->forward(x, x, x, mask);
        changed.push_back(!testing::bitwise_equal(omega(t), before));
        EXPECT_TRUE(testing::bitwise_equal(omega(t), omega(twin))) << "call " << call;
    }
    EXPECT_EQ(changed, (std::vector<bool>{false, false, true, false, true}));
    EXPECT_EQ(performer(t).calls.item(), 5);
}

TEST(PerformerKernel, FeaturesComeFromTheInitSeed) {
    auto a = zoo::make_kernel(performer_config(7), 1, 4, 8, 3);
    auto b = zoo::make_kernel(performer_config(7), 1, 4, 8, 3);
    auto c = zoo::make_kernel(performer_config(7), 1, 4, 8, 4);
    EXPECT_TRUE(testing::bitwise_equal(performer(a).omega, performer(b).omega));
    EXPECT_FALSE(testing::bitwise_equal(performer(a).omega, performer(c).omega));
    EXPECT_EQ(a.kernel->named_buffers().size(), 2u);  // omega, calls: saved in checkpoints
}

}  // namespace
}  // namespace lm::nn
