// The attention zoo through the registry: every kernel in sweep order, run in float32 with
// padding (finite outputs and gradients), memory class, and option validation.
#include <cmath>
#include <set>

#include "core/tensor/allocator.h"

#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

// Sweeps run softmax (the exact baseline) first and Nystrom next; every name is listed once and
// every option key belongs to one declaration.
TEST(AttentionZoo, RegistryListsTheSweepOrder) {
    const auto names = attention_kernel_names();
    ASSERT_GE(names.size(), 2u);
    EXPECT_EQ(names[0], "softmax");
    EXPECT_EQ(names[1], "nystrom");
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
    std::set<std::string> keys;
    for (const AttentionOption& o : attention_options()) {
        EXPECT_TRUE(keys.insert(o.key).second) << o.key;
    }
    for (const AttentionTypeInfo& t : attention_types()) {
        if (!t.size_option.empty()) {
            EXPECT_TRUE(keys.count(t.size_option)) << t.name;
        }
    }
}

TEST(AttentionZoo, EveryKernelRunsForwardAndBackwardInFloat32) {
    const int64_t B = 2, H = 2, N = 20, d = 8;
    std::vector<float> mv(B * N, 1.0f);
    for (int64_t i = 13; i < N; ++i)
        mv[N + i] = 0.0f;
    const Tensor mask = from_vector(mv, {B, N});
    for (const std::string& name : attention_kernel_names()) {
        AttentionConfig cfg;
        cfg.type = name;
        cfg.landmarks = 4;
        cfg.skyformer_landmarks = 8;
        cfg.linformer_k = 8;
        Generator init(1), drop(2);
        auto kernel = make_attention_kernel(cfg, {H, d, 32, &init, &drop});
        kernel->train();
        Tensor q = testing::random_tensor({B, H, N, d}, 3, DType::Float32).requires_grad_();
        Tensor k = testing::random_tensor({B, H, N, d}, 4, DType::Float32).requires_grad_();
        Tensor v = testing::random_tensor({B, H, N, d}, 5, DType::Float32).requires_grad_();
        const Tensor out = kernel->forward(q, k, v, mask);
        ASSERT_EQ(out.shape(), (Shape{B, H, N, d})) << name;
        ASSERT_EQ(out.dtype(), DType::Float32) << name;
        sum(out * out).backward();
        for (const Tensor& t : {out, v.grad()}) {
            for (float x : t.to_vector<float>())
                ASSERT_TRUE(std::isfinite(x)) << name;
        }
        EXPECT_EQ(kernel->quadratic(), name == "softmax") << name;
        EXPECT_EQ(kernel->type(), name);
    }
}

// Peak tensor bytes of one float32 forward + backward at sequence length n (inputs excluded).
int64_t peak_bytes_at(const std::string& name, int64_t n) {
    const int64_t H = 2, d = 16;
    AttentionConfig cfg;
    cfg.type = name;
    cfg.landmarks = 16;
    cfg.skyformer_landmarks = 16;
    cfg.linformer_k = 16;
    Generator init(1), drop(2);
    auto kernel = make_attention_kernel(cfg, {H, d, 2048, &init, &drop});
    kernel->train();
    Tensor q = testing::random_tensor({1, H, n, d}, 3, DType::Float32).requires_grad_();
    Tensor k = testing::random_tensor({1, H, n, d}, 4, DType::Float32).requires_grad_();
    Tensor v = testing::random_tensor({1, H, n, d}, 5, DType::Float32).requires_grad_();
    const Tensor mask = ones({1, n});
    const int64_t base = cpu_allocator().stats().live_bytes;
    cpu_allocator().reset_peak();
    sum(kernel->forward(q, k, v, mask)).backward();
    return cpu_allocator().stats().peak_bytes - base;
}

TEST(AttentionZoo, MemoryGrowsLinearlyInN) {
    // n 512 -> 2048 (x4): every kernel's peak grows about 4x. Softmax too: its fused core scores
    // one block of query rows against all keys at a time and keeps only the per-row log-sum-exp
    // for the backward, so its time is quadratic but the n x n scores are never stored (they
    // would make it 16x).
    for (const std::string& name : attention_kernel_names()) {
        const double small = static_cast<double>(peak_bytes_at(name, 512));
        const double ratio = static_cast<double>(peak_bytes_at(name, 2048)) / small;
        EXPECT_LT(ratio, 5.0) << name << " peak grew " << ratio << "x for 4x the length";
        EXPECT_GT(ratio, 2.0) << name << " (the measurement must see the activations)";
    }
}

TEST(AttentionZoo, OptionsAreValidated) {
    Generator init(1), drop(2);
    auto bad = [&](auto edit) {
        AttentionConfig cfg;
        edit(cfg);
        EXPECT_THROW(validate_attention_config(cfg), Error);
    };
    bad([](AttentionConfig& c) { c.shift_samples = 0; });
    bad([](AttentionConfig& c) { c.skyformer_landmarks = 0; });
    bad([](AttentionConfig& c) { c.gamma = -1; });
    bad([](AttentionConfig& c) { c.rpe_features = 0; });
    bad([](AttentionConfig& c) { c.performer_features = 0; });
    bad([](AttentionConfig& c) { c.redraw_interval = -1; });
    bad([](AttentionConfig& c) { c.scale = "sqrt"; });
    bad([](AttentionConfig& c) { c.linformer_k = 0; });
    bad([](AttentionConfig& c) { c.ff_features = 0; });
    bad([](AttentionConfig& c) { c.ff_hidden = 0; });
    bad([](AttentionConfig& c) { c.ff_activation = "tanh"; });
    bad([](AttentionConfig& c) { c.ff_positive = "relu"; });
    bad([](AttentionConfig& c) { c.schoenbat_features = 1; });
    bad([](AttentionConfig& c) { c.dotf = "cos"; });
    EXPECT_NO_THROW(validate_attention_config(AttentionConfig{}));
    AttentionConfig cfg;
    cfg.type = "linformer";
    // the sequence may not exceed the model's max_len
    auto k = make_attention_kernel(cfg, {1, 4, 8, &init, &drop});
    const Tensor x = testing::random_tensor({1, 1, 9, 4}, 1, DType::Float32);
    EXPECT_THROW(k->forward(x, x, x, ones({1, 9})), Error);
}

}  // namespace
}  // namespace lm::nn
