// Op cases of layer norm (core/ops/layer_norm.h), checked by tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// (x - mean) / sqrt(var + eps) * w + b over the last dim, from elementwise and reduce ops.
Tensor composed_layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps) {
    const Tensor centred = x - mean(x, {-1}, true);
    Tensor y = centred * rsqrt(mean(square(centred), {-1}, true) + eps);
    if (w.defined()) y = y * w;
    if (b.defined()) y = y + b;
    return y;
}

// A layer-norm case over x of `shape` with optional weight and bias.
OpCase layer_norm_case(const std::string& name,
                       const Shape& shape,
                       bool weight,
                       bool bias,
                       double eps = 1e-5,
                       bool strided = false) {
    const int64_t d = shape[shape.size() - 1];
    OpCase c;
    c.family = "layer_norm";
    c.name = name;
    c.inputs = [=](DType t) {
        std::vector<Tensor> in{case_input(t, shape, 1, -2.0, 2.0, strided)};
        if (weight) in.push_back(case_input(t, {d}, 2));
        if (bias) in.push_back(case_input(t, {d}, 3));
        return in;
    };
    auto unpack = [=](const std::vector<Tensor>& in) {
        return std::pair{weight ? in[1] : Tensor(), bias ? in[weight ? 2 : 1] : Tensor()};
    };
    c.fn = [=](const std::vector<Tensor>& in) {
        const auto [w, b] = unpack(in);
        return layer_norm(in[0], w, b, eps);
    };
    c.reference = [=](const std::vector<Tensor>& in) {
        const auto [w, b] = unpack(in);
        return composed_layer_norm(in[0], w, b, eps);
    };
    return c;
}

LM_OP_CASES(layer_norm) {
    return {
        layer_norm_case("2-D", {4, 6}, true, true),
        layer_norm_case("3-D", {2, 3, 5}, true, true),
        layer_norm_case("non-contiguous", {5, 4}, true, true, 1e-5, true),
        layer_norm_case("without weight and bias", {4, 6}, false, false),
        layer_norm_case("weight only", {4, 6}, true, false),
        layer_norm_case("bias only", {4, 6}, false, true),
        layer_norm_case("large eps", {4, 6}, true, true, 0.5),
        layer_norm_case("wide rows", {3, 130}, true, true),
    };
}

}  // namespace
}  // namespace lm
