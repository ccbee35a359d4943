// Op cases of the indexing family (core/ops/index.h: embedding, gather, index_select, row
// gather/scatter, concat, pad), checked by tests/core/ops/op_cases_test.cpp.
#include <type_traits>

#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::InputsFn;
using testing::OpCase;
using testing::TensorFn;

template <typename Id>
Tensor ids(std::vector<Id> values, const Shape& shape) {
    return from_vector(values, shape, {std::is_same_v<Id, int32_t> ? DType::Int32 : DType::Int64});
}

OpCase index_case(const std::string& name, InputsFn inputs, TensorFn fn, TensorFn ref = nullptr) {
    return testing::op_case("index", name, std::move(inputs), std::move(fn), std::move(ref));
}

// one_hot(ids) @ weight: what an embedding lookup is.
Tensor one_hot_lookup(const Tensor& id, const Tensor& w) {
    std::vector<int64_t> out_shape;
    for (int i = 0; i < id.dim(); ++i)
        out_shape.push_back(id.size(i));
    out_shape.push_back(w.size(1));
    const Tensor rows = one_hot(id.reshape({id.numel()}), w.size(0), w.dtype());
    return matmul(rows, w).reshape(Shape(out_shape));
}

LM_OP_CASES(index) {
    const Tensor repeated = ids<int64_t>({4, 1, 1, 0, 4, 4}, {2, 3});
    const Tensor ids32 = ids<int32_t>({2, 2, 3}, {3});
    const Tensor rows = ids<int64_t>({3, 0, 5}, {3});
    const Tensor cols = ids<int64_t>({2, 0, 0, 1, 2, 2}, {2, 3});
    return {
        index_case(
            "embedding, repeated ids",
            [=](DType t) {
                return std::vector<Tensor>{repeated, case_input(t, {5, 3}, 10)};
            },
            [](const auto& in) { return embedding(in[0], in[1]); },
            [](const auto& in) { return one_hot_lookup(in[0], in[1]); }),
        index_case(
            "embedding, int32 ids",
            [=](DType t) {
                return std::vector<Tensor>{ids32, case_input(t, {5, 3}, 10)};
            },
            [](const auto& in) { return embedding(in[0], in[1]); }),
        index_case(
            "gather_rows then scatter_rows",
            [=](DType t) {
                return std::vector<Tensor>{case_input(t, {6, 4}, 20), rows};
            },
            [](const auto& in) { return scatter_rows(gather_rows(in[0], in[1]) * 2.0, in[1], 7); }),
        index_case(
            "gather along the last dim",
            [=](DType t) {
                return std::vector<Tensor>{case_input(t, {2, 4}, 21), cols};
            },
            [](const auto& in) { return gather(in[0], 1, in[1]); }),
        index_case(
            "index_select of repeated rows",
            [=](DType t) {
                return std::vector<Tensor>{case_input(t, {5, 3}, 22), repeated.reshape({6})};
            },
            [](const auto& in) { return index_select(in[0], 0, in[1]); },
            [](const auto& in) { return one_hot_lookup(in[1], in[0]); }),
        index_case(
            "concat of a strided and a contiguous input",
            [=](DType t) {
                return std::vector<Tensor>{case_input(t, {3, 4}, 23, -1, 1, true),
                                           case_input(t, {3, 2}, 24)};
            },
            [](const auto& in) {
                return concat({in[0], in[1]}, 1);
            }),
        index_case(
            "pad the last two dims",
            [=](DType t) {
                return std::vector<Tensor>{case_input(t, {2, 3, 4}, 25)};
            },
            [](const auto& in) {
                return pad(in[0], {1, 2, 0, 1}, 0.5);
            }),
    };
}

}  // namespace
}  // namespace lm
