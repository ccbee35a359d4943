// Values of the indexing family (core/ops/index.h: embedding, one_hot, index_select, gather);
// its gradients are op cases (index_cases.cpp) and tests/core/ops/gradcheck_shape_test.cpp.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::as_int;
using testing::expect_values;

TEST(Embedding, BackwardScatterAddsRepeatedIds) {
    const Tensor w = testing::leaf({5, 3}, 10);
    const Tensor ids = from_vector(std::vector<int64_t>{4, 1, 1, 0, 4, 4}, {2, 3}, {DType::Int64});
    // backward scatter-adds: row 4 appears three times, row 2 and 3 never
    Tensor wl = w.detach().clone().requires_grad_();
    embedding(ids, wl).sum().backward();
    testing::expect_values(wl.grad(), {1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 3, 3, 3});
}

TEST(OpsValues, OneHot) {
    const Tensor ids = from_vector(std::vector<int64_t>{2, 0, 3, 2}, {2, 2}, {DType::Int64});
    const Tensor oh = one_hot(ids, 4);
    EXPECT_EQ(oh.shape(), Shape({2, 2, 4}));
    EXPECT_EQ(oh.dtype(), DType::Float32);
    expect_values(oh, {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0});
    const Tensor ids32 = from_vector(std::vector<int32_t>{1}, {1}, {DType::Int32});
    EXPECT_EQ(as_int(one_hot(ids32, 3, DType::Int32)), (std::vector<int32_t>{0, 1, 0}));
    EXPECT_THROW(one_hot(ids, 3), Error);  // id 3 out of range
    EXPECT_THROW(one_hot(from_vector(std::vector<int64_t>{-1}, {1}, {DType::Int64}), 3), Error);
}

TEST(OpsValues, EmbeddingIndexSelectGather) {
    const Tensor w = tensor({0, 1, 10, 11, 20, 21}).view({3, 2});
    const Tensor ids = from_vector(std::vector<int64_t>{2, 0, 2}, {3}, {DType::Int64});
    expect_values(embedding(ids.view({1, 3}), w), {20, 21, 0, 1, 20, 21});
    EXPECT_EQ(embedding(ids.view({1, 3}), w).shape(), Shape({1, 3, 2}));
    expect_values(index_select(w, 1, from_vector(std::vector<int64_t>{1, 1}, {2}, {DType::Int64})),
                  {1, 1, 11, 11, 21, 21});
    expect_values(index_select(w, 0, from_vector(std::vector<int64_t>{1}, {}, {DType::Int64})),
                  {10, 11});
    const Tensor gi = from_vector(std::vector<int64_t>{1, 0, 0, 0, 1, 1}, {3, 2}, {DType::Int64});
    expect_values(gather(w, 1, gi), {1, 0, 10, 10, 21, 21});
}

}  // namespace
}  // namespace lm
