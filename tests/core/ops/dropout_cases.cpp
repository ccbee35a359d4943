// Op cases of dropout (core/ops/dropout.h), checked by tests/core/ops/op_cases_test.cpp. Each
// call draws its mask from a fresh generator of a fixed seed, so the case is a pure function.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

OpCase dropout_case(const std::string& name, const Shape& shape, double p, bool strided) {
    OpCase c;
    c.family = "dropout";
    c.name = name;
    c.inputs = [=](DType t) {
        return std::vector<Tensor>{case_input(t, shape, 13, -1, 1, strided)};
    };
    c.fn = [=](const std::vector<Tensor>& in) {
        Generator gen(2024);
        return dropout(in[0], p, true, gen);
    };
    return c;
}

LM_OP_CASES(dropout) {
    return {
        dropout_case("p 0.3", {4, 7}, 0.3, false),
        dropout_case("p 0.3 non-contiguous", {6, 5}, 0.3, true),
        dropout_case("p 0.5, ragged bit words", {3, 37}, 0.5, false),
    };
}

}  // namespace
}  // namespace lm
