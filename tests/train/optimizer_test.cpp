// Optimizers against PyTorch 1.13 in float64. The expected values were computed once with
// torch.optim.{AdamW, Adam, SGD} on p0 = [0.5, -1, 2] with the grads below set by hand before
// each step (the first step of each is also worked out by hand in tests/kernels/optim_test.cpp).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "tests/support/tensor_testing.h"
#include "train/optim/adam.h"
#include "train/optim/optimizer.h"
#include "train/optim/param_groups.h"

namespace lm::train {
namespace {

using Rows = std::vector<std::vector<double>>;

const std::vector<double> kP0 = {0.5, -1.0, 2.0};
const Rows kGrads = {{0.1, -0.2, 0.3}, {-0.05, 0.4, 0.0}, {0.2, 0.2, -0.1}};

Tensor make_param(const std::vector<double>& v, DType dtype = DType::Float64) {
    Tensor p = from_vector(v, {static_cast<int64_t>(v.size())}, {dtype});
    p.requires_grad_(true);
    return p;
}

// Runs three steps on one parameter named "w"; beta1s (optional) are set before each step.
Rows run_steps(OptimizerConfig cfg, const std::vector<double>& beta1s = {}) {
    Tensor p = make_param(kP0);
    auto opt = make_optimizer(cfg, {{"w", p}});
    Rows out;
    for (size_t i = 0; i < kGrads.size(); ++i) {
        if (!beta1s.empty()) opt->set_beta1(beta1s[i]);
        p.set_grad(from_vector(kGrads[i], {3}, {DType::Float64}));
        opt->step();
        out.push_back(p.to_vector<double>());
    }
    EXPECT_EQ(opt->steps(), 3);
    return out;
}

void expect_rows(const Rows& got, const Rows& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t s = 0; s < want.size(); ++s) {
        for (size_t i = 0; i < want[s].size(); ++i) {
            EXPECT_NEAR(got[s][i], want[s][i], 1e-15) << "step " << s + 1 << " element " << i;
        }
    }
}

OptimizerConfig config(const std::string& type, double lr, double wd) {
    OptimizerConfig c;
    c.type = type;
    c.lr = lr;
    c.weight_decay = wd;
    c.no_decay = {};
    return c;
}

TEST(Optimizer, AdamWMatchesTorch) {
    expect_rows(run_steps(config("adamw", 1e-2, 0.1)),
                {{0.489500099999, -0.98900004999975, 1.9880000333332222},
                 {0.4863472631962946, -0.9916720736446722, 1.9793114823531273},
                 {0.47927984966452053, -0.9958727913752977, 1.9744408330822063}});
}

TEST(Optimizer, AdamMatchesTorch) {
    expect_rows(run_steps(config("adam", 1e-2, 0.1)),
                {{0.4900000666662222, -0.9900000333332222, 1.99000001999996},
                 {0.4833493283966763, -0.9905429849920887, 1.9810219319907902},
                 {0.47522372624006487, -0.9924286800977289, 1.9730478870004773}});
}

TEST(Optimizer, AdamWUsesTheCurrentBeta1) {
    // OneCycleLR rewrites betas[0] before each step; the bias correction uses the new beta1.
    expect_rows(run_steps(config("adamw", 1e-2, 0.0), {0.95, 0.93, 0.91}),
                {{0.490000099999, -0.99000004999975, 1.9900000333332222},
                 {0.4889232327348598, -0.9943764772886464, 1.985131263893742},
                 {0.4830823711005825, -0.9994003731531887, 1.9843097858846224}});
}

TEST(Optimizer, SgdMatchesTorch) {
    OptimizerConfig c = config("sgd", 0.1, 0.1);
    c.momentum = 0.9;
    expect_rows(run_steps(c), {{0.485, -0.97, 1.95},
                               {0.47164999999999996, -0.9732999999999999, 1.8855},
                               {0.43491849999999993, -0.986537, 1.818595}});
    c.momentum = 0;
    expect_rows(run_steps(c), {{0.485, -0.97, 1.95},
                               {0.48514999999999997, -1.0003, 1.9304999999999999},
                               {0.46029849999999994, -1.010297, 1.921195}});
    c = config("sgd", 0.1, 0.0);
    c.nesterov = true;
    expect_rows(run_steps(c),
                {{0.481, -0.962, 1.943}, {0.4824, -1.0218, 1.9187}, {0.44116, -1.07762, 1.91583}});
}

TEST(Optimizer, StateHoldsTorchMoments) {
    Tensor p = make_param(kP0);
    auto opt = make_optimizer(config("adamw", 1e-2, 0.1), {{"w", p}});
    for (const auto& g : kGrads) {
        p.set_grad(from_vector(g, {3}, {DType::Float64}));
        opt->step();
    }
    const nn::NamedTensors state = opt->state();
    const std::map<std::string, Tensor> st(state.begin(), state.end());
    ASSERT_EQ(st.size(), 4u);  // step, step.w, exp_avg.w, exp_avg_sq.w
    EXPECT_EQ(st.at("step").item(), 3);
    EXPECT_EQ(st.at("step.w").item(), 3);
    testing::expect_values(st.at("exp_avg.w"), {0.0236, 0.0398, 0.0143}, 1e-16);
    testing::expect_values(st.at("exp_avg_sq.w"),
                           {5.2477510000000055e-05, 0.00023976004000000027, 9.982009000000009e-05},
                           1e-18);
}

TEST(Optimizer, Float32CloseToFloat64) {
    Tensor p32 = make_param(kP0, DType::Float32), p64 = make_param(kP0);
    auto o32 = make_optimizer(config("adamw", 1e-2, 0.1), {{"w", p32}});
    auto o64 = make_optimizer(config("adamw", 1e-2, 0.1), {{"w", p64}});
    for (const auto& g : kGrads) {
        p32.set_grad(from_vector(g, {3}, {DType::Float32}));
        p64.set_grad(from_vector(g, {3}, {DType::Float64}));
        o32->step();
        o64->step();
    }
    testing::expect_close(p32, p64, 1e-6, 1e-7);
}

TEST(Optimizer, LargeTensorUsesTheSameMath) {
    // Many elements (split across threads) update exactly like a single one.
    const int64_t n = 100003;
    Tensor big = make_param(std::vector<double>(n, 0.5)), one = make_param({0.5});
    auto ob = make_optimizer(config("adam", 1e-2, 0.1), {{"w", big}});
    auto o1 = make_optimizer(config("adam", 1e-2, 0.1), {{"w", one}});
    big.set_grad(full({n}, 0.1, {DType::Float64}));
    one.set_grad(full({1}, 0.1, {DType::Float64}));
    ob->step();
    o1->step();
    const auto v = big.to_vector<double>();
    for (int64_t i = 0; i < n; i += 997)
        ASSERT_EQ(v[i], one.item()) << i;
    ASSERT_EQ(v[n - 1], one.item());
}

TEST(Optimizer, NoDecayGroups) {
    OptimizerConfig c = config("adamw", 0.1, 0.5);
    c.no_decay = {".bias", "norm"};
    Tensor w = make_param({1.0, 1.0}), b = make_param({1.0}), n = make_param({1.0});
    auto opt = make_optimizer(c, {{"fc.weight", w}, {"fc.bias", b}, {"norm1.weight", n}});
    EXPECT_EQ(opt->params()[0].weight_decay, 0.5);
    EXPECT_EQ(opt->params()[1].weight_decay, 0.0);
    EXPECT_EQ(opt->params()[2].weight_decay, 0.0);
    for (Tensor* t : {&w, &b, &n})
        t->set_grad(zeros_like(*t));
    opt->step();  // zero grads: only the decoupled decay moves a parameter
    testing::expect_values(w, {0.95, 0.95}, 1e-15);
    testing::expect_values(b, {1.0}, 0);
    testing::expect_values(n, {1.0}, 0);
}

TEST(Optimizer, NamePatterns) {
    EXPECT_TRUE(name_matches("encoder.layers.0.fc1.bias", ".bias"));
    EXPECT_TRUE(name_matches("bias", ".bias"));
    EXPECT_FALSE(name_matches("fc.bias_scale", ".bias"));
    EXPECT_TRUE(name_matches("encoder.norm.weight", "norm"));
    EXPECT_TRUE(name_matches("encoder.layers.1.norm2.weight", "norm"));
    EXPECT_TRUE(name_matches("encoder.position.weight", "encoder.*.weight"));
    EXPECT_FALSE(name_matches("head.fc1.weight", "encoder.*"));
    EXPECT_TRUE(name_matches("layers.3.w", "layers.?.w"));
    EXPECT_FALSE(name_matches("fc.weight", "norm"));
    EXPECT_EQ(weight_decay_for("fc.weight", 0.1, {".bias"}), 0.1);
    EXPECT_THROW(name_matches("x", ""), Error);
}

TEST(Optimizer, ParametersWithoutGradAreSkipped) {
    Tensor a = make_param({1.0}), b = make_param({1.0});
    auto opt = make_optimizer(config("adamw", 0.1, 0.0), {{"a", a}, {"b", b}});
    a.set_grad(full({1}, 1.0, {DType::Float64}));
    opt->step();
    EXPECT_EQ(b.item(), 1.0);
    EXPECT_EQ(opt->params()[0].step, 1);
    EXPECT_EQ(opt->params()[1].step, 0);  // as in torch, b's own step does not advance
    EXPECT_EQ(opt->steps(), 1);
}

TEST(Optimizer, ZeroGradAndAccumulation) {
    Tensor p = make_param({1.0, 2.0});
    Tensor x = from_vector(std::vector<double>{3.0, -1.0}, {2}, {DType::Float64});
    auto opt = make_optimizer(config("sgd", 0.5, 0.0), {{"p", p}});
    for (int micro = 0; micro < 2; ++micro)
        sum(p * x).backward();  // grads add up: 2 x
    testing::expect_values(p.grad(), {6.0, -2.0});
    opt->step();  // first SGD step: p - lr * 2x
    testing::expect_values(p, {-2.0, 3.0});
    opt->zero_grad();
    EXPECT_FALSE(p.grad().defined());
}

TEST(Optimizer, LrAndBeta1Setters) {
    Tensor p = make_param({1.0});
    auto opt = make_optimizer(config("adamw", 1e-3, 0.0), {{"p", p}});
    opt->set_lr(5e-4);
    opt->set_beta1(0.95);
    EXPECT_EQ(opt->lr(), 5e-4);
    EXPECT_EQ(opt->beta1(), 0.95);
    EXPECT_THROW(opt->set_lr(-1), Error);
    EXPECT_THROW(opt->set_beta1(1.0), Error);
}

TEST(Optimizer, UnknownTypeListsTheKnownOnes) {
    Tensor p = make_param({1.0});
    try {
        make_optimizer(config("lamb", 1e-3, 0.0), {{"p", p}});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        for (const char* t : {"lamb", "adamw", "adam", "sgd"}) {
            EXPECT_NE(msg.find(t), std::string::npos) << msg;
        }
    }
    EXPECT_NE(make_optimizer(config("AdamW", 1e-3, 0.0), {{"p", p}}), nullptr);
}

TEST(Optimizer, RejectsBadParametersAndGrads) {
    Tensor p = make_param({1.0, 2.0});
    EXPECT_THROW(make_optimizer(config("adamw", 1e-3, 0), {{"p", p}, {"p", p}}), Error);
    EXPECT_THROW(make_optimizer(config("adamw", 1e-3, 0), {{"ids", zeros({2}, {DType::Int64})}}),
                 Error);
    OptimizerConfig bad = config("sgd", 1e-3, 0);
    bad.momentum = 0;
    bad.nesterov = true;
    EXPECT_THROW(make_optimizer(bad, {{"p", p}}), Error);
    auto opt = make_optimizer(config("adamw", 1e-3, 0), {{"layer.w", p}});
    p.set_grad(zeros({2}, {DType::Float32}));
    try {
        opt->step();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("layer.w"), std::string::npos) << e.what();
    }
}

// train.init_lr_scale: a scaled parameter moves as with lr * scale, the others as with lr.
TEST(Optimizer, PerParameterLearningRateScale) {
    for (const char* type : {"adamw", "sgd"}) {
        Tensor a = make_param(kP0), b = make_param(kP0);
        auto opt = make_optimizer(config(type, 1e-2, 0.0), {{"a", a}, {"b", b}});
        opt->set_lr_scale({"b"}, 0.5);
        Tensor ref = make_param(kP0);
        auto half = make_optimizer(config(type, 0.5e-2, 0.0), {{"r", ref}});
        for (const auto& g : kGrads) {
            for (Tensor* p : {&a, &b, &ref})
                p->set_grad(from_vector(g, {3}, {DType::Float64}));
            opt->step();
            half->step();
        }
        EXPECT_EQ(b.to_vector<double>(), ref.to_vector<double>()) << type;
        EXPECT_NE(a.to_vector<double>(), ref.to_vector<double>()) << type;
        expect_rows({a.to_vector<double>()}, {run_steps(config(type, 1e-2, 0.0)).back()});
    }
}

}  // namespace
}  // namespace lm::train
