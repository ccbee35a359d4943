// Helpers shared by the attention-zoo kernel tests: kernels with their own generators, padding
// masks, and the padding-invariance and determinism checks every kernel runs.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/autograd/functional.h"
#include "layers/attention/registry.h"
#include "tests/support/gradcheck.h"

namespace lm::nn::zoo {

// float64 mask [B, N]: the first lengths[b] positions of row b are tokens.
inline Tensor padding_mask(int64_t B, int64_t N, const std::vector<int64_t>& lengths) {
    std::vector<double> m(static_cast<size_t>(B * N), 0.0);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < lengths[b]; ++i)
            m[b * N + i] = 1.0;
    }
    return from_vector(m, {B, N}, {DType::Float64});
}

// A float64 kernel in eval mode with its generators; `reset()` rewinds the dropout generator so
// kernels that sample every forward (skyformer, spectral_shift) repeat their samples.
struct TestKernel {
    std::unique_ptr<Generator> init, drop;
    std::shared_ptr<AttentionKernel> kernel;
    GeneratorState drop_start;

    void reset() { drop->set_state(drop_start); }
    Tensor operator()(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
        reset();
        return kernel->forward(q, k, v, mask);
    }
};

inline TestKernel make_kernel(const AttentionConfig& cfg,
                              int64_t heads,
                              int64_t head_dim,
                              int64_t max_len,
                              uint64_t seed = 1) {
    TestKernel t;
    t.init = std::make_unique<Generator>(seed);
    t.drop = std::make_unique<Generator>(seed + 1000);
    t.drop_start = t.drop->state();
    t.kernel = make_attention_kernel(cfg, {heads, head_dim, max_len, t.init.get(), t.drop.get()});
    t.kernel->to(DType::Float64);
    t.kernel->eval();
    return t;
}

// q, k, v and every parameter of the kernel, checked by finite differences (double).
inline void gradcheck_kernel(TestKernel& t,
                             const Tensor& mask,
                             const Shape& shape,
                             const testing::GradcheckOptions& opts = {},
                             uint64_t seed = 3) {
    std::vector<Tensor> inputs = {testing::leaf(shape, seed), testing::leaf(shape, seed + 1),
                                  testing::leaf(shape, seed + 2)};
    for (auto& [name, p] : t.kernel->named_parameters())
        inputs.push_back(p);
    testing::gradcheck([&](const std::vector<Tensor>& in) { return t(in[0], in[1], in[2], mask); },
                       inputs, opts, t.kernel->type());
}

// Padded keys never influence real queries: replacing the padded rows of k and v (and q) leaves
// the real rows of the output unchanged. Returns the max change on real rows.
inline double padding_change(
    TestKernel& t, const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
    NoGradGuard no_grad;
    const Tensor keep = mask.view({mask.size(0), 1, mask.size(1), 1});
    auto scramble = [&](const Tensor& x, uint64_t seed) {
        return x * keep +
               testing::random_tensor(x.shape(), seed, DType::Float64, -5, 5) * (1.0 - keep);
    };
    const Tensor a = t(q, k, v, mask) * keep;
    const Tensor b = t(scramble(q, 91), scramble(k, 92), scramble(v, 93), mask) * keep;
    return testing::max_abs_diff(a, b);
}

}  // namespace lm::nn::zoo
