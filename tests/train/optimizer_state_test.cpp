// Optimizer state for checkpoints: state() / load_state() round trips and their errors.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/tensor_testing.h"
#include "train/optim/optimizer.h"

namespace lm::train {
namespace {

OptimizerConfig config(const std::string& type) {
    OptimizerConfig c;
    c.type = type;
    c.lr = 1e-2;
    c.weight_decay = 0.1;
    return c;
}

struct Params {
    Tensor w = testing::random_tensor({3, 4}, 1);
    Tensor b = testing::random_tensor({4}, 2);
    nn::NamedTensors named() const { return {{"fc.weight", w}, {"fc.bias", b}}; }
    Params clone() const {
        Params p;
        p.w = w.clone().detach();
        p.b = b.clone().detach();
        return p;
    }
    void set_grads(uint64_t seed) const {
        w.set_grad(testing::random_tensor({3, 4}, seed));
        b.set_grad(testing::random_tensor({4}, seed + 100));
    }
};

bool contains(const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
}

// Loading A's state into B (same params) makes B continue exactly like A.
void check_round_trip(const std::string& type) {
    Params a;
    auto oa = make_optimizer(config(type), a.named());
    for (uint64_t s = 0; s < 3; ++s) {
        a.set_grads(10 + s);
        oa->step();
    }
    Params b = a.clone();
    auto ob = make_optimizer(config(type), b.named());
    nn::NamedTensors saved;
    for (const auto& [name, t] : oa->state())
        saved.emplace_back(name, t.clone().detach());
    ob->load_state(saved);
    EXPECT_EQ(ob->steps(), 3);
    a.set_grads(50);
    b.set_grads(50);
    oa->step();
    ob->step();
    EXPECT_EQ(testing::max_abs_diff(a.w, b.w), 0) << type;
    EXPECT_EQ(testing::max_abs_diff(a.b, b.b), 0) << type;
}

TEST(OptimizerState, RoundTripContinuesExactly) {
    for (const char* type : {"adamw", "adam", "sgd"})
        check_round_trip(type);
}

TEST(OptimizerState, Names) {
    Params p;
    auto adam = make_optimizer(config("adamw"), p.named());
    std::vector<std::string> names;
    for (const auto& [name, t] : adam->state())
        names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"step", "step.fc.weight", "step.fc.bias",
                                               "exp_avg.fc.weight", "exp_avg.fc.bias",
                                               "exp_avg_sq.fc.weight", "exp_avg_sq.fc.bias"}));
    auto sgd = make_optimizer(config("sgd"), p.named());
    EXPECT_EQ(sgd->state().back().first, "momentum.fc.bias");
}

TEST(OptimizerState, ErrorsNameTheTensor) {
    Params p;
    auto opt = make_optimizer(config("adamw"), p.named());
    const nn::NamedTensors good = opt->state();
    auto expect_error = [&](const nn::NamedTensors& st, const std::string& part) {
        try {
            opt->load_state(st);
            FAIL() << "expected an error mentioning " << part;
        } catch (const Error& e) {
            EXPECT_TRUE(contains(e.what(), part)) << e.what();
        }
    };
    nn::NamedTensors missing(good.begin(), good.end() - 1);
    expect_error(missing, "exp_avg_sq.fc.bias");
    nn::NamedTensors extra = good;
    extra.emplace_back("exp_avg.encoder.weight", zeros({2}));
    expect_error(extra, "exp_avg.encoder.weight");
    nn::NamedTensors shape = good;
    shape[3].second = zeros({4, 3}, {DType::Float64});
    expect_error(shape, "exp_avg.fc.weight");
    nn::NamedTensors dtype = good;
    dtype[3].second = zeros({3, 4}, {DType::Float32});
    expect_error(dtype, "exp_avg.fc.weight");
    nn::NamedTensors step = good;
    step[0].second = full({}, -1.0, {DType::Int64});
    expect_error(step, "step");
    // An SGD state does not load into AdamW.
    auto sgd = make_optimizer(config("sgd"), p.named());
    expect_error(sgd->state(), "momentum.fc.weight");
    EXPECT_EQ(opt->steps(), 0);  // nothing was changed by the failed loads
}

}  // namespace
}  // namespace lm::train
