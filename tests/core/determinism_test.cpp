// Results must not depend on the thread count: every computation below runs with 1 and with 2
// threads and the outputs are compared bit for bit (random fills, dropout masks, large sums in
// both directions, layer-norm parameter gradients, LRA-sized matmuls, embedding backward).
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/base/parallel.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::bitwise_equal;

// Runs f with `threads` threads and restores the previous setting.
std::vector<Tensor> with_threads(int threads, const std::function<std::vector<Tensor>()>& f) {
    const int before = num_threads();
    set_num_threads(threads);
    std::vector<Tensor> out;
    try {
        out = f();
    } catch (...) {
        set_num_threads(before);
        throw;
    }
    set_num_threads(before);
    return out;
}

void expect_same_for_1_and_2_threads(const std::function<std::vector<Tensor>()>& f) {
    const std::vector<Tensor> one = with_threads(1, f), two = with_threads(2, f);
    ASSERT_EQ(one.size(), two.size());
    for (size_t i = 0; i < one.size(); ++i) {
        EXPECT_TRUE(bitwise_equal(one[i], two[i]))
            << "output " << i << " (" << one[i].str() << ") differs between 1 and 2 threads; "
            << "max difference " << testing::max_abs_diff(one[i], two[i]);
    }
}

TEST(Determinism, RandomFills) {
    expect_same_for_1_and_2_threads([] {
        Generator gen(7);
        Tensor u = rand({300001}, {}, gen);
        Tensor n = randn({1001, 257}, {DType::Float64}, gen);
        Tensor n32 = randn({70001}, {}, gen);
        Tensor w = empty({513, 129});
        uniform_(w, -0.1, 0.1, gen);
        return std::vector<Tensor>{u, n, n32, w};
    });
    // the draws consume the generator identically too
    Generator a(3), b(3);
    rand({1000}, {}, a);
    randn({1001}, {}, b);
    EXPECT_EQ(a.state().offset, 500u);
    EXPECT_EQ(b.state().offset, 501u);
}

TEST(Determinism, DropoutMasks) {
    expect_same_for_1_and_2_threads([] {
        Generator gen(11);
        const Tensor x = ones({4099, 37});
        Tensor y1 = dropout(x, 0.1, true, gen);
        Tensor y2 = dropout(x.to(DType::Float64), 0.5, true, gen);
        return std::vector<Tensor>{y1, y2};
    });
}

TEST(Determinism, LargeSums) {
    Generator gen(5);
    const Tensor x = randn({640, 2048}, {}, gen);  // 1.3M elements
    const Tensor v = randn({1 << 20}, {DType::Float64}, gen);
    expect_same_for_1_and_2_threads([&] {
        return std::vector<Tensor>{
            sum(x),                          // everything
            sum(x, {1}),                     // row reductions
            sum(x, {0}),                     // column reductions
            sum(x.mT(), {1}),                // through a transposed view
            mean(x.view({2, 655360}), {1}),  // two very long rows
            sum(v),
            sum(x.view({655360, 2}), {0}),  // a tall reduction of two columns
        };
    });
}

TEST(Determinism, LayerNormParameterGradients) {
    Generator gen(9);
    const Tensor x = randn({8192, 64}, {}, gen), dy = randn({8192, 64}, {}, gen);
    const Tensor w0 = randn({64}, {}, gen), b0 = randn({64}, {}, gen);
    expect_same_for_1_and_2_threads([&] {
        Tensor xl = x.clone().requires_grad_(), w = w0.clone().requires_grad_();
        Tensor b = b0.clone().requires_grad_();
        Tensor y = layer_norm(xl, w, b);
        y.backward(dy);
        return std::vector<Tensor>{y, xl.grad(), w.grad(), b.grad()};
    });
}

TEST(Determinism, LraSizedMatmuls) {
    // batch 32 x n 2048 rows through the QKV projection, and per-head products of the Nystrom
    // attention (64 = batch x heads slices of n 2048, head dim 32, 64 landmarks)
    Generator gen(13);
    const Tensor x = randn({65536, 64}, {}, gen), wqkv = randn({192, 64}, {}, gen);
    const Tensor q = randn({64, 2048, 32}, {}, gen), kl = randn({64, 64, 32}, {}, gen);
    const Tensor att = randn({64, 64, 2048}, {}, gen), v = randn({64, 2048, 32}, {}, gen);
    expect_same_for_1_and_2_threads([&] {
        return std::vector<Tensor>{
            linear(x, wqkv), matmul(q, kl.mT()),  // Q K~^T: [64, 2048, 64]
            matmul(att, v),                       // B V: [64, 64, 2048] @ [64, 2048, 32]
            matmul(x.mT(), x.slice(1, 0, 32)),    // weight-gradient shape [64, 65536] @ [65536, 32]
        };
    });
}

TEST(Determinism, EmbeddingBackward) {
    Generator gen(17);
    std::vector<int64_t> ids(32 * 2048);
    for (size_t i = 0; i < ids.size(); ++i)
        ids[i] = static_cast<int64_t>(gen.uniform_int(300));
    const Tensor idx = from_vector(ids, {32, 2048}, {DType::Int64});
    const Tensor w0 = randn({300, 64}, {}, gen), dy = randn({32, 2048, 64}, {}, gen);
    expect_same_for_1_and_2_threads([&] {
        Tensor w = w0.clone().requires_grad_();
        embedding(idx, w).backward(dy);
        return std::vector<Tensor>{w.grad()};
    });
}

}  // namespace
}  // namespace lm
