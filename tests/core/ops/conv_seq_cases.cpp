// Op cases of the depthwise sequence convolution (core/ops/conv_seq.h), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// y[b, h, i] = sum_t w[h, t] x[b, h, i + t - K/2] with zero padding, from pad, slices and
// broadcast products. x [B, H, N, D], w [H, K].
Tensor composed_conv_seq(const Tensor& x, const Tensor& w) {
    const int64_t H = w.size(0), K = w.size(1), N = x.size(2);
    const Tensor padded = pad(x, {0, 0, K / 2, K / 2});
    Tensor y;
    for (int64_t t = 0; t < K; ++t) {
        const Tensor term = padded.slice(2, t, t + N) * w.slice(1, t, t + 1).reshape({1, H, 1, 1});
        y = y.defined() ? y + term : term;
    }
    return y;
}

// x of shape `x_shape` (after `order` is applied, when given) and K taps.
OpCase conv_case(const std::string& name, const Shape& x_shape, int64_t K, const Dims& order) {
    const bool permuted = order.size() > 0;
    const int64_t H = permuted ? x_shape[order[1]] : x_shape[1];
    OpCase c;
    c.family = "conv_seq";
    c.name = name;
    c.inputs = [=](DType t) {
        return std::vector<Tensor>{case_input(t, x_shape, 15), case_input(t, {H, K}, 16)};
    };
    auto arrange = [=](const Tensor& x) { return permuted ? x.permute(order) : x; };
    c.fn = [=](const std::vector<Tensor>& in) { return depthwise_conv_seq(arrange(in[0]), in[1]); };
    c.reference = [=](const std::vector<Tensor>& in) {
        return composed_conv_seq(arrange(in[0]), in[1]);
    };
    return c;
}

LM_OP_CASES(conv_seq) {
    return {
        conv_case("K 1", {2, 3, 6, 4}, 1, {}),
        conv_case("K 3", {2, 3, 6, 4}, 3, {}),
        conv_case("K 5", {2, 3, 6, 4}, 5, {}),
        // a head split's layout ([B, N, H, D] permuted) and a kernel longer than the sequence
        conv_case("permuted, K > N", {1, 3, 2, 4}, 7, {0, 2, 1, 3}),
    };
}

}  // namespace
}  // namespace lm
