// Tensor views: shared storage, strides and offsets of every view, writes through a view seen
// by its base (and the reverse), contiguity, reshape's copy fallback, and copies (clone, to).
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::expect_values;

Tensor iota(const Shape& shape, DType dtype = DType::Float32) {
    std::vector<double> v(static_cast<size_t>(shape.numel()));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<double>(i);
    return from_vector(v, shape, {dtype});
}

bool shares_storage(const Tensor& a, const Tensor& b) {
    return a.impl().storage() == b.impl().storage();
}

TEST(TensorView, ContiguousLayout) {
    const Tensor t = iota({2, 3, 4});
    EXPECT_EQ(t.strides(), Strides({12, 4, 1}));
    EXPECT_EQ(t.offset(), 0);
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_EQ(t.numel(), 24);
    EXPECT_EQ(t.nbytes(), 96u);
    EXPECT_EQ(t.dim(), 3);
    EXPECT_EQ(t.size(-1), 4);
    EXPECT_EQ(t.stride(-2), 4);
    EXPECT_EQ(t.str(), "float32[2, 3, 4] on cpu");
    const Tensor s = scalar_tensor(2.5);
    EXPECT_EQ(s.dim(), 0);
    EXPECT_EQ(s.numel(), 1);
    EXPECT_EQ(s.item(), 2.5);
}

TEST(TensorView, ViewsShareStorageAndHaveExpectedStrides) {
    const Tensor t = iota({2, 3, 4});
    struct Expect {
        Tensor v;
        Shape shape;
        Strides strides;
        int64_t offset;
    };
    const Expect cases[] = {
        {t.view({6, 4}), {6, 4}, {4, 1}, 0},
        {t.reshape({4, 6}), {4, 6}, {6, 1}, 0},
        {t.transpose(0, 2), {4, 3, 2}, {1, 4, 12}, 0},
        {t.permute({1, 2, 0}), {3, 4, 2}, {4, 1, 12}, 0},
        {t.slice(2, 1, 4, 2), {2, 3, 2}, {12, 4, 2}, 1},
        {t.slice(1, -2, 100), {2, 2, 4}, {12, 4, 1}, 4},
        {t.select(1, 2), {2, 4}, {12, 1}, 8},
        {t.select(0, -1), {3, 4}, {4, 1}, 12},
        {t.narrow(2, 1, 2), {2, 3, 2}, {12, 4, 1}, 1},
        {t.unsqueeze(1), {2, 1, 3, 4}, {12, 12, 4, 1}, 0},
        {t.unsqueeze(-1), {2, 3, 4, 1}, {12, 4, 1, 1}, 0},
        {t.slice(1, 0, 1).squeeze(1), {2, 4}, {12, 1}, 0},
        {t.flatten(0, 1), {6, 4}, {4, 1}, 0},
        {t.mT(), {2, 4, 3}, {12, 1, 4}, 0},
        {t.select(0, 1).unsqueeze(0).expand({5, 3, 4}), {5, 3, 4}, {0, 4, 1}, 12},
        {t.slice(2, 0, 1).expand({2, 3, 7}), {2, 3, 7}, {12, 4, 0}, 0},
        {t.transpose(1, 2).slice(1, 0, 4, 3), {2, 2, 3}, {12, 3, 4}, 0},
    };
    for (const Expect& c : cases) {
        EXPECT_TRUE(shares_storage(c.v, t)) << c.shape.str();
        EXPECT_EQ(c.v.shape(), c.shape);
        EXPECT_EQ(c.v.strides(), c.strides) << c.shape.str();
        EXPECT_EQ(c.v.offset(), c.offset) << c.shape.str();
    }
    // values seen through a strided view
    expect_values(t.slice(2, 1, 4, 2).select(0, 1), {13, 15, 17, 19, 21, 23});
    expect_values(t.transpose(0, 2).select(0, 3), {3, 15, 7, 19, 11, 23});
    expect_values(t.select(1, 2).slice(1, 3, 4), {11, 23});
}

TEST(TensorView, WriteThroughViewIsVisibleInBase) {
    Tensor t = zeros({3, 4});
    t.select(1, 2).fill_(7.0);                      // a column
    t.slice(0, 0, 3, 2).slice(1, 0, 1).fill_(1.0);  // rows 0 and 2, column 0
    expect_values(t, {1, 0, 7, 0, 0, 0, 7, 0, 1, 0, 7, 0});
    t.mT().select(0, 3).copy_(tensor({4, 5, 6}));  // column 3 through a transpose
    expect_values(t.select(1, 3), {4, 5, 6});
    // and a write into the base is visible in an existing view
    const Tensor v = t.view({12}).slice(0, 5, 12, 3);
    t.fill_(-1.0);
    expect_values(v, {-1, -1, -1});
}

TEST(TensorView, CopyBroadcastsAndConverts) {
    Tensor t = zeros({2, 3}, {DType::Float64});
    t.copy_(tensor({1, 2, 3}, {DType::Int32}));
    expect_values(t, {1, 2, 3, 1, 2, 3});
    t.slice(1, 1, 3).copy_(scalar_tensor(9.0));
    expect_values(t, {1, 9, 9, 1, 9, 9});
    // version counter: each in-place write bumps it
    const uint64_t v0 = t.impl().storage()->version();
    t.fill_(0.0);
    t.slice(0, 0, 1).copy_(tensor({1, 1, 1}, {DType::Float64}));
    EXPECT_EQ(t.impl().storage()->version(), v0 + 2);
}

TEST(TensorView, ContiguityAndReshape) {
    const Tensor t = iota({2, 3, 4});
    EXPECT_TRUE(t.contiguous().same(t));  // already contiguous: the same tensor
    const Tensor tt = t.transpose(1, 2);
    EXPECT_FALSE(tt.is_contiguous());
    const Tensor c = tt.contiguous();
    EXPECT_TRUE(c.is_contiguous());
    EXPECT_FALSE(shares_storage(c, t));
    EXPECT_TRUE(testing::bitwise_equal(c, tt));
    // size-1 dims do not break contiguity, whatever their stride
    EXPECT_TRUE(t.slice(0, 1, 2).is_contiguous());
    EXPECT_TRUE(t.unsqueeze(0).transpose(0, 1).slice(0, 0, 1).is_contiguous());
    // reshape of a transposed tensor cannot be a view: a contiguous copy
    const Tensor r = tt.reshape({2, 12});
    EXPECT_FALSE(shares_storage(r, t));
    expect_values(r.select(0, 0), {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    // but a reshape that only splits or merges compatible dims stays a view
    EXPECT_TRUE(shares_storage(tt.reshape({2, 2, 2, 3}), t));
    EXPECT_TRUE(shares_storage(t.slice(2, 0, 4, 2).reshape({2, 3, 2, 1}), t));
    EXPECT_TRUE(shares_storage(t.reshape({-1}), t));
    EXPECT_EQ(t.reshape({4, -1, 2}).shape(), Shape({4, 3, 2}));
    // flatten of a 0-d tensor is [1]
    EXPECT_EQ(scalar_tensor(1.0).flatten().shape(), Shape({1}));
}

TEST(TensorView, CloneAndDetachAndTo) {
    const Tensor t = iota({2, 3});
    const Tensor c = t.clone();
    EXPECT_FALSE(shares_storage(c, t));
    EXPECT_TRUE(testing::bitwise_equal(c, t));
    const Tensor d = t.detach();
    EXPECT_TRUE(shares_storage(d, t));
    EXPECT_FALSE(d.same(t));
    const Tensor same = t.to(DType::Float32);
    EXPECT_TRUE(same.same(t));  // no conversion needed: the tensor itself
    for (DType dt : {DType::Float64, DType::Int32, DType::Int64, DType::BFloat16, DType::Float16}) {
        const Tensor x = t.to(dt);
        EXPECT_EQ(x.dtype(), dt);
        expect_values(x, {0, 1, 2, 3, 4, 5});
    }
    expect_values(tensor({0.0, 2.0, -1.0}).to(DType::Bool).to(DType::Int32), {0, 1, 1});
    expect_values(tensor({1.7, -1.7}).to(DType::Int32), {1, -1});  // truncation, as C++
    expect_values(tensor({1.0 / 3}).to(DType::BFloat16), {0.333984375});
    expect_values(tensor({1.0 / 3}).to(DType::Float16), {0.333251953125});
}

TEST(TensorView, AsStridedAndFromBlob) {
    std::vector<float> host = {0, 1, 2, 3, 4, 5};
    Tensor b = from_blob(host.data(), {2, 3}, DType::Float32);
    EXPECT_EQ(b.data<float>(), host.data());  // no copy
    b.select(0, 1).fill_(9.0);
    EXPECT_EQ(host[4], 9.0f);
    const Tensor s = as_strided(b, {3, 2}, {1, 3}, 0);
    expect_values(s, {0, 9, 1, 9, 2, 9});
    EXPECT_THROW(as_strided(b, {3, 3}, {3, 1}, 0), Error);  // past the end of the storage
    EXPECT_THROW(b.data<double>(), Error);                  // wrong element type
}

}  // namespace
}  // namespace lm
