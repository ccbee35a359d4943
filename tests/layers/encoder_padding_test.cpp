// The padding-free encoder path (EncoderConfig::skip_padding) against the padded one: the same
// outputs and the same parameter gradients in float64, for the kernels that allow it, with
// ragged lengths and a sample that is all padding. And the property that allows it: those
// kernels' unmasked outputs do not depend on q, k, v at masked rows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "layers/attention/registry.h"
#include "layers/encoder.h"
#include "tests/support/tensor_testing.h"

namespace lm::nn {
namespace {

const std::vector<int64_t> kLengths = {16, 9, 0, 5};
constexpr int64_t kBatch = 4, kLen = 16;

Tensor padding_mask() {
    std::vector<double> m(kBatch * kLen, 0.0);
    for (int64_t b = 0; b < kBatch; ++b)
        for (int64_t i = 0; i < kLengths[b]; ++i)
            m[b * kLen + i] = 1.0;
    return from_vector(m, {kBatch, kLen}, {DType::Float64});
}

Tensor token_ids() {
    std::vector<int32_t> ids(kBatch * kLen);
    for (size_t i = 0; i < ids.size(); ++i)
        ids[i] = static_cast<int32_t>((i * 7 + 3) % 11);
    return from_vector(ids, {kBatch, kLen}, {DType::Int32});
}

EncoderConfig config(const std::string& attention, bool skip_padding) {
    EncoderConfig cfg{11, kLen, 8, 12, 2, 4, 2, 0.0, "gelu", "learned", 1e-5, {}};
    cfg.attention.type = attention;
    cfg.attention.landmarks = 4;
    cfg.attention.conv_kernel = 3;
    cfg.skip_padding = skip_padding;
    return cfg;
}

// Output and parameter gradients of sum(out * weights) for one setting (float64, train mode
// with dropout 0, so both paths run the training graph).
struct Result {
    Tensor out;
    std::vector<Tensor> grads;
};

Result run(const std::string& attention, bool skip_padding) {
    Generator init(11), drop(12);
    Encoder enc(config(attention, skip_padding), init, drop);
    enc.to(DType::Float64);
    enc.train();
    const Tensor out = enc.forward(token_ids(), padding_mask());
    const Tensor weights = testing::random_tensor(out.shape(), 13);
    (out * weights).sum().backward();
    Result r{out.detach(), {}};
    for (const Tensor& p : enc.parameters())
        r.grads.push_back(p.grad());
    return r;
}

TEST(EncoderPadding, SkippingPaddingGivesTheSameOutputsAndGradients) {
    for (const std::string attention : {"nystrom", "softmax"}) {
        const Result padded = run(attention, false), unpadded = run(attention, true);
        testing::expect_close(unpadded.out, padded.out, 0.0, 1e-12, attention + " output");
        ASSERT_EQ(unpadded.grads.size(), padded.grads.size());
        for (size_t i = 0; i < padded.grads.size(); ++i) {
            ASSERT_TRUE(padded.grads[i].defined() && unpadded.grads[i].defined());
            testing::expect_close(unpadded.grads[i], padded.grads[i], 0.0, 1e-12,
                                  attention + " gradient " + std::to_string(i));
        }
    }
}

// The kernels that allow skipping: replacing q, k, v at masked rows by anything leaves the
// unmasked output rows unchanged.
TEST(EncoderPadding, AllowingKernelsIgnoreMaskedRows) {
    Generator init(21), drop(22);
    const Tensor mask = padding_mask();
    const Tensor masked = (1.0 - mask).view({kBatch, 1, kLen, 1});
    for (const std::string attention : {"nystrom", "softmax"}) {
        AttentionConfig cfg = config(attention, true).attention;
        auto kernel = make_attention_kernel(cfg, {2, 4, kLen, &init, &drop});
        kernel->to(DType::Float64);
        kernel->eval();
        ASSERT_TRUE(kernel->ignores_masked_rows()) << attention;
        std::vector<Tensor> qkv, noisy;
        for (uint64_t seed : {31, 32, 33}) {
            qkv.push_back(testing::random_tensor({kBatch, 2, kLen, 4}, seed));
            noisy.push_back(qkv.back() + masked * testing::random_tensor({kBatch, 2, kLen, 4},
                                                                         seed + 10, DType::Float64,
                                                                         -50.0, 50.0));
        }
        const Tensor keep = mask.view({kBatch, 1, kLen, 1});
        const Tensor a = kernel->forward(qkv[0], qkv[1], qkv[2], mask) * keep;
        const Tensor b = kernel->forward(noisy[0], noisy[1], noisy[2], mask) * keep;
        testing::expect_close(b, a, 0.0, 1e-12, attention);
    }
}

}  // namespace
}  // namespace lm::nn
