// Op cases of softmax and log-softmax (core/ops/softmax.h), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// exp(x + mask - max) / sum exp(...) over the last dim, from elementwise and reduce ops.
Tensor composed_softmax(const Tensor& x, const Tensor& mask) {
    const Tensor z = mask.defined() ? x + mask : x;
    const Tensor e = exp(z - max(z, -1, true).first.detach());
    return e / sum(e, {-1}, true);
}

OpCase softmax_case(const std::string& name,
                    const Shape& shape,
                    bool strided,
                    bool log,
                    const Tensor& mask = Tensor()) {
    OpCase c = testing::op_case(
        "softmax", name,
        [=](DType t) {
            std::vector<Tensor> in{case_input(t, shape, 7, -2.0, 2.0, strided)};
            if (mask.defined()) in.push_back(mask.to(t));
            return in;
        },
        [=](const std::vector<Tensor>& in) {
            const Tensor m = in.size() > 1 ? in[1] : Tensor();
            return log ? log_softmax(in[0], m) : softmax(in[0], m);
        },
        [=](const std::vector<Tensor>& in) {
            const Tensor p = composed_softmax(in[0], in.size() > 1 ? in[1] : Tensor());
            return log ? lm::log(p) : p;
        });
    c.constant_inputs = {1};
    return c;
}

LM_OP_CASES(softmax) {
    const Tensor bias = testing::random_tensor({4}, 10);
    const Tensor padding = from_vector(std::vector<double>{0, 0, -1e9, -1e9, 0, 0, 0, -1e9},
                                       {2, 1, 4}, {DType::Float64});
    return {
        softmax_case("2-D", {3, 5}, false, false),
        softmax_case("non-contiguous", {2, 5, 4}, true, false),
        softmax_case("log, 2-D", {3, 5}, false, true),
        softmax_case("log, non-contiguous", {2, 5, 4}, true, true),
        softmax_case("bias mask", {2, 3, 4}, false, false, bias),
        softmax_case("log, bias mask", {2, 3, 4}, false, true, bias),
        softmax_case("padding mask", {2, 3, 4}, false, false, padding),
        softmax_case("wide rows", {2, 300}, false, false),
    };
}

}  // namespace
}  // namespace lm
