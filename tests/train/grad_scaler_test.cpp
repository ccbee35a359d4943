// GradScaler (train/grad_scaler.h), as torch.cuda.amp.GradScaler: scaling, unscaling, skipping
// on inf/NaN, growth and backoff, and the checkpoint state round trip.
#include <gtest/gtest.h>

#include <limits>

#include "core/autograd/functional.h"
#include "train/grad_scaler.h"

namespace lm::train {
namespace {

Tensor param_with_grad(std::vector<float> g) {
    Tensor p = zeros({static_cast<int64_t>(g.size())});
    p.requires_grad_(true);
    p.set_grad(from_vector(g, {static_cast<int64_t>(g.size())}));
    return p;
}

TEST(GradScaler, ScalesTheLossAndUnscalesTheGrads) {
    GradScaler s(true);
    EXPECT_EQ(s.scale(), 65536.0);
    const Tensor loss = from_vector<float>({0.5f}, {1});
    EXPECT_EQ((loss * s.scale()).to_vector<float>()[0], 32768.0f);
    const Tensor p = param_with_grad({65536.0f, -131072.0f, 0.0f});
    EXPECT_TRUE(s.unscale({p, zeros({2})}));  // a parameter without a grad is skipped
    EXPECT_EQ(p.grad().to_vector<float>(), (std::vector<float>{1.0f, -2.0f, 0.0f}));
}

TEST(GradScaler, NonFiniteGradsSkipAndBackOff) {
    for (const float bad :
         {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
        GradScaler s(true);
        const Tensor ok = param_with_grad({1.0f}), p = param_with_grad({1.0f, bad});
        EXPECT_FALSE(s.unscale({ok, p}));
        s.update(true);
        EXPECT_EQ(s.scale(), 32768.0);
        EXPECT_EQ(s.skipped_steps(), 1);
        EXPECT_EQ(s.growth_tracker(), 0);
    }
}

TEST(GradScaler, GrowsAfterTheIntervalAndResetsOnOverflow) {
    GradScaler s(true, {8.0, 2.0, 0.5, 3});
    s.update(false);
    s.update(false);
    EXPECT_EQ(s.scale(), 8.0);
    EXPECT_EQ(s.growth_tracker(), 2);
    s.update(true);  // an overflow resets the count
    EXPECT_EQ(s.scale(), 4.0);
    for (int i = 0; i < 3; ++i)
        s.update(false);
    EXPECT_EQ(s.scale(), 8.0);
    EXPECT_EQ(s.growth_tracker(), 0);
    GradScaler defaults(true);
    for (int i = 0; i < 1999; ++i)
        defaults.update(false);
    EXPECT_EQ(defaults.scale(), 65536.0);
    defaults.update(false);
    EXPECT_EQ(defaults.scale(), 131072.0);
}

TEST(GradScaler, DisabledIsTheIdentity) {
    GradScaler s(false);
    EXPECT_EQ(s.scale(), 1.0);
    const Tensor p = param_with_grad({3.0f});
    EXPECT_TRUE(s.unscale({p}));
    EXPECT_EQ(p.grad().to_vector<float>()[0], 3.0f);
    s.update(true);
    EXPECT_EQ(s.scale(), 1.0);
    EXPECT_FALSE(s.unscale({param_with_grad({std::numeric_limits<float>::infinity()})}));
}

TEST(GradScaler, StateRoundTripsAndRejectsBadFields) {
    GradScaler a(true, {1024.0, 2.0, 0.5, 5});
    a.update(true);
    a.update(false);
    a.update(false);
    GradScaler b(true, {1024.0, 2.0, 0.5, 5});
    b.load_state(nlohmann::json::parse(a.state().dump()));  // through text, as trainer.json
    EXPECT_EQ(b.scale(), 512.0);
    EXPECT_EQ(b.growth_tracker(), 2);
    EXPECT_EQ(b.skipped_steps(), 1);
    EXPECT_EQ(b.state(), a.state());
    for (const char* bad : {R"({"scale": -1, "growth_tracker": 0, "skipped_steps": 0})",
                            R"({"scale": 8, "growth_tracker": -1, "skipped_steps": 0})",
                            R"({"scale": 8, "growth_tracker": 9, "skipped_steps": 0})",
                            R"({"scale": "8", "growth_tracker": 0, "skipped_steps": 0})",
                            R"({"scale": 8, "growth_tracker": 0})", R"([])"}) {
        EXPECT_THROW(b.load_state(nlohmann::json::parse(bad)), Error) << bad;
    }
    EXPECT_EQ(b.scale(), 512.0);  // a rejected state leaves the scaler as it was
}

}  // namespace
}  // namespace lm::train
