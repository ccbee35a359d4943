// The backward engine: diamond graphs, accumulation across backward calls, retain_grad, no_grad,
// detach, retain_graph, detection of in-place edits of saved tensors, and the errors for
// backward without a gradient and requires_grad on integer tensors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/autograd/node.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::expect_values;

Tensor d(std::initializer_list<double> v) {
    return tensor(v, {DType::Float64});
}

// Runs f and returns the message of the lm::Error it throws ("" when it does not throw).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(AutogradEngine, DiamondGraph) {
    // x -> a = 2x, b = x^2 -> y = a * b = 2 x^3: both paths reach x, dy/dx = 6 x^2
    Tensor x = d({1.5, -2.0}).requires_grad_();
    Tensor a = x * 2.0, b = square(x);
    Tensor y = a * b;
    y.sum().backward();
    expect_values(x.grad(), {6 * 2.25, 6 * 4.0});
    // a deeper diamond: two branches rejoin twice through a shared intermediate
    Tensor z = d({0.3}).requires_grad_();
    Tensor e = exp(z);
    Tensor f = e * e + e;  // e^{2z} + e^z
    Tensor g = f * e;      // e^{3z} + e^{2z}
    g.backward();
    expect_values(z.grad(), {3 * std::exp(0.9) + 2 * std::exp(0.6)}, 1e-14);
    testing::gradcheck(
        [](const std::vector<Tensor>& in) {
            const Tensor h = tanh(in[0]);
            return (h * in[1] + h.sum() * in[1]) * h;
        },
        {testing::leaf({3}, 1), testing::leaf({3}, 2)}, {}, "diamond gradcheck");
}

TEST(AutogradEngine, GradientsAccumulateAcrossBackwardCalls) {
    Tensor x = d({1.0, 2.0}).requires_grad_();
    (x * 3.0).sum().backward();
    expect_values(x.grad(), {3, 3});
    (x * x).sum().backward();
    expect_values(x.grad(), {5, 7});
    // the accumulated gradient is the leaf's own storage, never an alias of an upstream tensor
    Tensor u = d({1.0}).requires_grad_();
    Tensor up = d({4.0});
    u.backward(up);
    EXPECT_NE(u.grad().impl().storage(), up.impl().storage());
    x.set_grad(Tensor());
    EXPECT_FALSE(x.grad().defined());
    (x * 2.0).sum().backward();
    expect_values(x.grad(), {2, 2});
}

TEST(AutogradEngine, RetainGradOnNonLeaf) {
    Tensor x = d({1.0, -1.0}).requires_grad_();
    Tensor h = x * 3.0;
    h.retain_grad();
    Tensor y = (h * h).sum();
    y.retain_grad();  // the root too
    y.backward();
    expect_values(h.grad(), {6, -6});
    expect_values(y.grad(), {1});
    expect_values(x.grad(), {18, -18});
    Tensor n = x * 2.0;  // without retain_grad a non-leaf keeps no gradient
    n.sum().backward();
    EXPECT_FALSE(n.grad().defined());
    EXPECT_FALSE(n.is_leaf());
    EXPECT_TRUE(x.is_leaf());
}

TEST(AutogradEngine, NoGradScope) {
    Tensor x = d({1.0}).requires_grad_();
    {
        NoGradGuard guard;
        EXPECT_FALSE(grad_enabled());
        Tensor y = exp(x) * 2.0;
        EXPECT_FALSE(y.requires_grad());
        EXPECT_FALSE(y.grad_fn());
        { NoGradGuard nested; }
        EXPECT_FALSE(grad_enabled());  // restored to the outer state, not to "on"
    }
    EXPECT_TRUE(grad_enabled());
    Tensor y = exp(x);
    EXPECT_TRUE(y.requires_grad());
    EXPECT_TRUE(y.grad_fn());
    EXPECT_STREQ(y.grad_fn()->name(), "ExpBackward");
}

TEST(AutogradEngine, Detach) {
    Tensor x = d({2.0}).requires_grad_();
    Tensor y = x * x;
    Tensor z = y.detach();
    EXPECT_FALSE(z.requires_grad());
    EXPECT_TRUE(z.is_leaf());
    EXPECT_EQ(z.impl().storage(), y.impl().storage());  // shares data
    // the detached branch contributes no gradient
    (y + z * x.detach()).sum().backward();
    expect_values(x.grad(), {4});
}

TEST(AutogradEngine, BackwardTwiceNeedsRetainGraph) {
    Tensor x = d({1.0, 2.0}).requires_grad_();
    Tensor y = (exp(x) * x).sum();
    y.backward(Tensor(), /*retain_graph=*/true);
    y.backward();
    const double e1 = std::exp(1.0), e2 = std::exp(2.0);
    expect_values(x.grad(), {2 * 2 * e1, 2 * 3 * e2}, 1e-12);
    const std::string msg = error_of([&] { y.backward(); });
    EXPECT_NE(msg.find("second time"), std::string::npos) << msg;
    EXPECT_NE(msg.find("retain_graph"), std::string::npos) << msg;
}

TEST(AutogradEngine, InPlaceEditOfSavedTensorIsDetected) {
    Tensor x = d({0.5, 1.0}).requires_grad_();
    Tensor y = exp(x);  // saves its output
    {
        NoGradGuard guard;
        y.fill_(3.0);
    }
    std::string msg = error_of([&] { y.sum().backward(); });
    EXPECT_NE(msg.find("modified in place"), std::string::npos) << msg;
    // an edit through a view of a saved input is caught as well
    Tensor a = d({1.0, 2.0, 3.0}).requires_grad_();
    Tensor base = d({4.0, 5.0, 6.0});
    Tensor m = a * base;  // saves base
    base.slice(0, 1, 2).fill_(0.0);
    msg = error_of([&] { m.sum().backward(); });
    EXPECT_NE(msg.find("modified in place"), std::string::npos) << msg;
    // in-place writes into a leaf that requires grad are refused
    msg = error_of([&] { x.fill_(0.0); });
    EXPECT_NE(msg.find("leaf"), std::string::npos) << msg;
}

TEST(AutogradEngine, NonScalarBackwardNeedsGradient) {
    Tensor x = d({1.0, 2.0}).requires_grad_();
    Tensor y = x * 2.0;
    const std::string msg = error_of([&] { y.backward(); });
    EXPECT_NE(msg.find("one element"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[2]"), std::string::npos) << msg;
    EXPECT_NE(error_of([&] { y.backward(d({1.0, 2.0, 3.0})); }), "");  // wrong shape
    y.backward(d({1.0, 10.0}));
    expect_values(x.grad(), {2, 20});
    // a tensor that does not require grad cannot start a backward pass
    EXPECT_NE(error_of([] { d({1.0}).backward(); }), "");
}

TEST(AutogradEngine, BroadcastInputGradientIsSummed) {
    Tensor a = d({1.0, 2.0, 3.0}).view({3, 1}).detach().requires_grad_();
    Tensor b = d({10.0, 20.0}).requires_grad_();
    Tensor y = a * b;  // [3, 2]
    y.backward(ones({3, 2}, {DType::Float64}));
    EXPECT_EQ(a.grad().shape(), Shape({3, 1}));
    EXPECT_EQ(b.grad().shape(), Shape({2}));
    expect_values(a.grad(), {30, 30, 30});
    expect_values(b.grad(), {6, 6});
    // through expand as well
    Tensor c = d({1.0, 2.0}).requires_grad_();
    c.expand({4, 2}).sum().backward();
    expect_values(c.grad(), {4, 4});
}

TEST(AutogradEngine, RequiresGradOnIntegerTensorIsError) {
    Tensor i = arange(3);
    const std::string msg = error_of([&] { i.requires_grad_(); });
    EXPECT_NE(msg.find("int64"), std::string::npos) << msg;
    EXPECT_FALSE(i.requires_grad());
    Tensor b = full({2}, 1.0, {DType::Bool});
    EXPECT_THROW(b.requires_grad_(), Error);
    // and changing requires_grad on a non-leaf
    Tensor x = d({1.0}).requires_grad_();
    Tensor y = x * 2.0;
    EXPECT_THROW(y.requires_grad_(false), Error);
    EXPECT_THROW(d({1.0}).retain_grad(), Error);
}

TEST(AutogradEngine, OnlyInputsThatRequireGradReceiveOne) {
    Tensor x = d({1.0, 2.0}).requires_grad_();
    Tensor c = d({3.0, 4.0});
    (x * c + c).sum().backward();
    expect_values(x.grad(), {3, 4});
    EXPECT_FALSE(c.grad().defined());
    // integer and boolean inputs never carry a gradient
    const Tensor ids = from_vector(std::vector<int64_t>{1, 1}, {2}, {DType::Int64});
    Tensor w = d({1.0, 2.0, 3.0, 4.0}).view({2, 2}).detach().requires_grad_();
    embedding(ids, w).sum().backward();
    expect_values(w.grad(), {0, 0, 2, 2});
}

TEST(AutogradEngine, LongChainDoesNotOverflowTheStack) {
    Tensor x = d({1.0}).requires_grad_();
    Tensor y = x;
    for (int i = 0; i < 20000; ++i)
        y = y * 1.0;
    y.backward();
    expect_values(x.grad(), {1});
}

}  // namespace
}  // namespace lm
