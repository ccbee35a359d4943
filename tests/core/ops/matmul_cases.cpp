// Op cases of the matrix products (core/ops/matmul.h: matmul, linear), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

OpCase matmul_case(const std::string& name,
                   std::vector<Shape> shapes,
                   testing::TensorFn fn,
                   testing::TensorFn reference = nullptr,
                   bool strided_first = false) {
    return testing::op_case(
        "matmul", name,
        [=](DType t) {
            std::vector<Tensor> in;
            for (size_t i = 0; i < shapes.size(); ++i)
                in.push_back(case_input(t, shapes[i], 40 + i, -1, 1, strided_first && i == 0));
            return in;
        },
        std::move(fn), std::move(reference));
}

// a @ b as a broadcast product summed over the shared dim (2-D operands).
Tensor outer_sum_product(const Tensor& a, const Tensor& b) {
    return sum(a.reshape({a.size(0), a.size(1), 1}) * b.reshape({1, b.size(0), b.size(1)}), {1});
}

LM_OP_CASES(matmul) {
    auto mm = [](const std::vector<Tensor>& in) { return matmul(in[0], in[1]); };
    return {
        matmul_case("2-D", {{3, 4}, {4, 5}}, mm,
                    [](const auto& in) { return outer_sum_product(in[0], in[1]); }),
        matmul_case(
            "transposed operands", {{4, 3}, {5, 4}},
            [](const auto& in) { return matmul(in[0].mT(), in[1].mT()); },
            [](const auto& in) { return outer_sum_product(in[0].mT(), in[1].mT()); }),
        matmul_case("batched, broadcast weight", {{2, 3, 4, 5}, {5, 6}}, mm),
        matmul_case("batched both", {{2, 7, 9}, {2, 9, 3}}, mm),
        matmul_case(
            "strided batched", {{2, 6, 5}, {2, 6, 4}},
            [](const auto& in) { return matmul(in[0].mT(), in[1]); }, nullptr, true),
        matmul_case(
            "linear 3-D with bias", {{2, 3, 4}, {3, 4}, {3}},
            [](const auto& in) { return linear(in[0], in[1], in[2]); },
            [](const auto& in) { return matmul(in[0], in[1].mT()) + in[2]; }),
        matmul_case(
            "linear without bias, non-contiguous x", {{2, 4}, {3, 4}},
            [](const auto& in) { return linear(in[0], in[1]); }, nullptr, true),
        matmul_case("model-sized projection", {{2, 40, 32}, {96, 32}, {96}},
                    [](const auto& in) { return linear(in[0], in[1], in[2]); }),
    };
}

}  // namespace
}  // namespace lm
