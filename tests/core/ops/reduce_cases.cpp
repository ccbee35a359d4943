// Op cases of the reductions (core/ops/reduce.h: sum, mean, max, min), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

OpCase reduce_case(const std::string& name,
                   const Shape& shape,
                   bool strided,
                   testing::TensorFn fn,
                   testing::TensorFn reference = nullptr) {
    return testing::op_case(
        "reduce", name,
        [=](DType t) { return std::vector<Tensor>{case_input(t, shape, 1, -1, 1, strided)}; },
        std::move(fn), std::move(reference));
}

LM_OP_CASES(reduce) {
    return {
        reduce_case("sum over all", {2, 3, 4}, false, [](const auto& in) { return sum(in[0]); }),
        reduce_case(
            "sum over dims 0 and 2, keepdim", {2, 3, 4}, true,
            [](const auto& in) {
                return sum(in[0], {0, 2}, true);
            },
            [](const auto& in) { return sum(sum(in[0], {2}, true), {0}, true); }),
        reduce_case("sum of wide rows over the leading dim", {3, 1000}, false,
                    [](const auto& in) { return sum(in[0], {0}); }),
        reduce_case(
            "mean over the last dim", {2, 3, 4}, true,
            [](const auto& in) { return mean(in[0], {-1}); },
            [](const auto& in) { return sum(in[0], {-1}) / 4.0; }),
        reduce_case("max over dim 1", {3, 4, 5}, false,
                    [](const auto& in) { return max(in[0], 1).first; }),
        reduce_case(
            "min over the last dim, keepdim, non-contiguous", {3, 5, 4}, true,
            [](const auto& in) { return min(in[0], -1, true).first; },
            [](const auto& in) { return -max(-in[0], -1, true).first; }),
        reduce_case("max over all", {3, 5, 4}, true, [](const auto& in) { return max(in[0]); }),
    };
}

}  // namespace
}  // namespace lm
