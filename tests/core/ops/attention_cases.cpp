// Op cases of exact softmax attention (core/ops/attention.h), checked by
// tests/core/ops/op_cases_test.cpp. q, k, v [B, H, N, D]; mask [B, N], 1 = token, 0 = padding.
#include "tests/support/op_case.h"

#include "core/autograd/attention.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// softmax(q k^T / sqrt(D) - 1e6 (1 - mask)) v from matmul and softmax.
Tensor composed_attention(const std::vector<Tensor>& in) {
    const Tensor &q = in[0], &k = in[1], &v = in[2], &mask = in[3];
    const int64_t B = q.size(0), N = q.size(2);
    const Tensor bias = (mask - 1.0).reshape({B, 1, 1, N}) * 1e6;
    return matmul(softmax(matmul(q, k.mT()) / std::sqrt(double(q.size(3))) + bias), v);
}

OpCase attention_case(const std::string& name,
                      int64_t H,
                      int64_t D,
                      const std::vector<int64_t>& lengths,
                      int64_t N,
                      bool dropout) {
    const int64_t B = static_cast<int64_t>(lengths.size());
    const Tensor mask = testing::prefix_mask(lengths, N);
    OpCase c = testing::op_case(
        "attention", name,
        [=](DType t) {
            return std::vector<Tensor>{case_input(t, {B, H, N, D}, 51, -2, 2),
                                       case_input(t, {B, H, N, D}, 52, -2, 2),
                                       case_input(t, {B, H, N, D}, 53), mask.to(t)};
        },
        [=](const std::vector<Tensor>& in) {
            SoftmaxAttentionOptions opts;
            opts.dropout = dropout ? 0.2 : 0.0;
            Generator gen(7);
            return softmax_attention(in[0], in[1], in[2], in[3], opts, dropout, gen);
        },
        dropout ? testing::TensorFn() : composed_attention);
    c.constant_inputs = {3};
    return c;
}

LM_OP_CASES(attention) {
    return {
        attention_case("no padding", 2, 4, {7, 7}, 7, false),
        attention_case("ragged padding", 2, 8, {9, 4, 1}, 9, false),
        attention_case("more rows than one query block", 1, 4, {70, 33}, 70, false),
        attention_case("dropout on the probabilities", 2, 4, {6, 3}, 6, true),
    };
}

}  // namespace
}  // namespace lm
