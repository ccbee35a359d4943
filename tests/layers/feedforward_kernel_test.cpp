// "feedforward_kernel": equals its quadratic kernel attention; gradients through the MLP (shared
// and per head, every positive map); padding; the seed fixes the MLP.
#include <algorithm>

#include "layers/attention/exact_reference.h"
#include "layers/attention/feedforward_kernel.h"
#include "tests/layers/zoo_testing.h"

namespace lm::nn {
namespace {

AttentionConfig ff_config(bool per_head,
                          const std::string& positive = "softplus",
                          const std::string& act = "gelu") {
    AttentionConfig cfg;
    cfg.type = "feedforward_kernel";
    cfg.ff_features = 5;
    cfg.ff_hidden = 6;
    cfg.ff_per_head = per_head;
    cfg.ff_positive = positive;
    cfg.ff_activation = act;
    return cfg;
}

FeedforwardKernel& ff(zoo::TestKernel& t) {
    return dynamic_cast<FeedforwardKernel&>(*t.kernel);
}

TEST(FeedforwardKernel, MatchesTheQuadraticKernelAttention) {
    const Tensor mask = zoo::padding_mask(2, 9, {9, 5});
    const Tensor q = testing::random_tensor({2, 2, 9, 4}, 1, DType::Float64, -2, 2);
    const Tensor k = testing::random_tensor({2, 2, 9, 4}, 2, DType::Float64, -2, 2);
    const Tensor v = testing::random_tensor({2, 2, 9, 4}, 3);
    for (bool per_head : {false, true}) {
        auto t = zoo::make_kernel(ff_config(per_head), 2, 4, 16);
        const Tensor phi_q = ff(t).feature_map(q), phi_k = ff(t).feature_map(k);
        EXPECT_EQ(phi_q.shape(), (Shape{2, 2, 9, 5}));
        const auto pv = phi_q.to_vector<double>();
        EXPECT_GT(*std::min_element(pv.begin(), pv.end()), 0.0);  // positive features
        const Tensor ref = exact_feature_attention(phi_q, phi_k, v, mask, FeedforwardKernel::kEps);
        EXPECT_LT(testing::max_abs_diff(t(q, k, v, mask), ref), 1e-13);
        EXPECT_LT(zoo::padding_change(t, q, k, v, mask), 1e-13);
    }
}

TEST(FeedforwardKernel, PerHeadMapsDifferAcrossHeads) {
    auto t = zoo::make_kernel(ff_config(true), 2, 4, 16);
    const Tensor x = testing::random_tensor({1, 1, 3, 4}, 4).expand({1, 2, 3, 4}).contiguous();
    const Tensor phi = ff(t).feature_map(x);
    EXPECT_GT(testing::max_abs_diff(phi.select(1, 0), phi.select(1, 1)), 1e-3);
    auto shared = zoo::make_kernel(ff_config(false), 2, 4, 16);
    const Tensor phs = ff(shared).feature_map(x);
    EXPECT_EQ(testing::max_abs_diff(phs.select(1, 0), phs.select(1, 1)), 0.0);
}

TEST(FeedforwardKernel, GradcheckEveryVariant) {
    const Tensor mask = zoo::padding_mask(2, 5, {5, 3});
    for (const auto& [positive, act] : std::vector<std::pair<std::string, std::string>>{
             {"softplus", "gelu"}, {"elu1", "gelu"}, {"exp", "relu"}}) {
        for (bool per_head : {false, true}) {
            auto t = zoo::make_kernel(ff_config(per_head, positive, act), 2, 3, 8);
            zoo::gradcheck_kernel(t, mask, {2, 2, 5, 3});
        }
    }
}

TEST(FeedforwardKernel, SeedFixesTheMlp) {
    auto a = zoo::make_kernel(ff_config(false), 2, 4, 8, 5);
    auto b = zoo::make_kernel(ff_config(false), 2, 4, 8, 5);
    auto c = zoo::make_kernel(ff_config(false), 2, 4, 8, 6);
    EXPECT_TRUE(testing::bitwise_equal(ff(a).w1, ff(b).w1));
    EXPECT_FALSE(testing::bitwise_equal(ff(a).w1, ff(c).w1));
    EXPECT_EQ(a.kernel->parameters().size(), 4u);
}

}  // namespace
}  // namespace lm::nn
