// Finite-difference gradient checks (float64) of joining, splitting, indexing and padding, and
// of every view and copy: the gradient of a view is the inverse view of the upstream gradient.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::gradcheck;
using testing::leaf;
using testing::noncontiguous_leaf;

Tensor i64(const std::vector<int64_t>& v, const Shape& shape) {
    return from_vector(v, shape, {DType::Int64});
}

TEST(GradcheckShape, Concat) {
    const Tensor a = leaf({2, 3}, 1), b = leaf({4, 3}, 2), c = noncontiguous_leaf({3, 3}, 3);
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return concat({in[0], in[1], in[2]}, 0);
        },
        {a, b, c}, {}, "concat dim 0");
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return concat({in[0], in[1].mT()}, -1);
        },
        {a, leaf({2, 2}, 4)}, {}, "concat dim -1");
    // an input that needs no gradient
    const Tensor k = testing::random_tensor({1, 3}, 5);
    gradcheck(
        [k](const std::vector<Tensor>& in) {
            return concat({k, in[0], k}, 0);
        },
        {a}, {}, "concat with a constant");
}

TEST(GradcheckShape, SplitChunk) {
    const Tensor x = leaf({7, 4}, 6);
    gradcheck(
        [](const std::vector<Tensor>& in) {
            const auto parts = split(in[0], {2, 0, 5}, 0);
            return concat({parts[2] * 2.0, parts[1], parts[0]}, 0);  // reordered and scaled
        },
        {x}, {}, "split");
    gradcheck(
        [](const std::vector<Tensor>& in) {
            const auto parts = chunk(in[0], 3, 0);  // uneven: 3, 3, 1
            return concat({parts[1], exp(parts[2]), square(parts[0])}, 0);
        },
        {x}, {}, "chunk");
    gradcheck([](const std::vector<Tensor>& in) { return chunk(in[0], 2, -1)[1]; },
              {noncontiguous_leaf({3, 4}, 7)}, {}, "chunk last dim, non-contiguous");
    const auto sizes = chunk(x, 3, 0);
    ASSERT_EQ(sizes.size(), 3u);
    EXPECT_EQ(sizes[2].size(0), 1);
}

// split_heads: every part is the [B, N, P, H, d] slice transposed to [B, H, N, d]; its backward
// fills one buffer from all parts, with zeros where a part got no gradient.
TEST(GradcheckShape, SplitHeads) {
    const Tensor x = leaf({2, 5, 3 * 2 * 4}, 8);
    const auto parts = split_heads(x, 3, 2);
    ASSERT_EQ(parts.size(), 3u);
    for (int64_t p = 0; p < 3; ++p) {
        const Tensor expected = x.view({2, 5, 3, 2, 4}).select(2, p).transpose(1, 2);
        testing::expect_close(parts[p], expected.contiguous(), 0.0, 0.0, "part values");
        EXPECT_TRUE(parts[p].is_contiguous());
    }
    gradcheck(
        [](const std::vector<Tensor>& in) {
            const auto qkv = split_heads(in[0], 3, 2);
            return concat({qkv[0] * 2.0, exp(qkv[1]), qkv[2] * qkv[0]}, 0);
        },
        {x}, {}, "split_heads, all parts used");
    gradcheck([](const std::vector<Tensor>& in) { return split_heads(in[0], 3, 2)[1]; },
              {noncontiguous_leaf({2, 3, 12}, 9)}, {}, "split_heads, one part, strided input");
    EXPECT_THROW(split_heads(x, 5, 2), Error);
}

// gather_rows / scatter_rows (the padding-free encoder path): each one's backward is the other.
TEST(GradcheckShape, GatherAndScatterRows) {
    const Tensor rows = i64({4, 0, 2}, {3});
    gradcheck([rows](const std::vector<Tensor>& in) { return gather_rows(in[0], rows); },
              {leaf({6, 3}, 10)}, {}, "gather_rows");
    gradcheck([rows](const std::vector<Tensor>& in) { return scatter_rows(in[0], rows, 6); },
              {leaf({3, 3}, 11)}, {}, "scatter_rows");
    const Tensor y = testing::random_tensor({3, 2}, 12);
    const Tensor out = scatter_rows(y, rows, 5);
    testing::expect_close(index_select(out, 0, rows), y, 0.0, 0.0, "scattered rows");
    testing::expect_values(index_select(out, 0, i64({1, 3}, {2})), {0, 0, 0, 0});
    EXPECT_THROW(scatter_rows(y, i64({1, 1, 2}, {3}), 5), Error);  // a row given twice
    EXPECT_THROW(scatter_rows(y, i64({1, 7, 2}, {3}), 5), Error);  // out of range
}

TEST(GradcheckShape, Stack) {
    for (int dim : {0, 1, 2, -1}) {
        gradcheck(
            [dim](const std::vector<Tensor>& in) {
                return stack({in[0], in[1], in[0]}, dim);
            },
            {leaf({2, 3}, 8), noncontiguous_leaf({2, 3}, 9)}, {},
            "stack dim " + std::to_string(dim));
    }
}

TEST(GradcheckShape, IndexSelect) {
    const Tensor x = leaf({4, 3, 2}, 10);
    const Tensor idx = i64({3, 0, 3, 3}, {4});
    for (int dim : {0, 1, -1}) {
        const Tensor i = dim == 0 ? idx : i64({1, 1, 0}, {3});
        gradcheck([dim, i](const std::vector<Tensor>& in) { return index_select(in[0], dim, i); },
                  {x}, {}, "index_select dim " + std::to_string(dim));
    }
    const Tensor i32 = from_vector(std::vector<int32_t>{2, 0, 2}, {3}, {DType::Int32});
    gradcheck([i32](const std::vector<Tensor>& in) { return index_select(in[0], 1, i32); },
              {noncontiguous_leaf({3, 4}, 11)}, {}, "index_select int32, non-contiguous");
}

TEST(GradcheckShape, Gather) {
    const Tensor x = leaf({3, 4}, 12);
    const Tensor i1 = i64({0, 3, 3, 1, 1, 1, 2, 0, 0}, {3, 3});  // along dim 1, repeats
    const Tensor i0 = i64({2, 2, 0, 1, 0, 0, 0, 2}, {2, 4});     // along dim 0
    gradcheck([i1](const std::vector<Tensor>& in) { return gather(in[0], 1, i1); }, {x}, {},
              "gather dim 1");
    gradcheck([i0](const std::vector<Tensor>& in) { return gather(in[0], 0, i0); }, {x}, {},
              "gather dim 0");
    gradcheck([i1](const std::vector<Tensor>& in) { return gather(in[0], -1, i1); },
              {noncontiguous_leaf({3, 4}, 13)}, {}, "gather non-contiguous");
    testing::expect_values(gather(x.detach(), 1, i1).select(0, 0),
                           {x.detach().to_vector<double>()[0], x.detach().to_vector<double>()[3],
                            x.detach().to_vector<double>()[3]});
}

TEST(GradcheckShape, Pad) {
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return pad(in[0], {1, 2}, -3.0);
        },
        {leaf({2, 3}, 14)}, {}, "pad last dim");
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return pad(in[0], {0, 1, 2, 0});
        },
        {noncontiguous_leaf({2, 3, 4}, 15)}, {}, "pad two dims");
    const Tensor p = pad(tensor({1, 2}, {DType::Float64}), {1, 2}, 9.0);
    testing::expect_values(p, {9, 1, 2, 9, 9});
}

// ---- views and copies

struct ViewCase {
    const char* name;
    Shape shape;
    std::function<Tensor(const Tensor&)> fn;
};

void PrintTo(const ViewCase& c, std::ostream* os) {
    *os << c.name;
}

class GradcheckView : public ::testing::TestWithParam<ViewCase> {};

TEST_P(GradcheckView, Contiguous) {
    const ViewCase& c = GetParam();
    // multiplied by a fixed tensor so that a gradient landing on the wrong element shows up
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0]); }, {leaf(c.shape, 16)}, {},
              c.name);
}

TEST_P(GradcheckView, NonContiguous) {
    const ViewCase& c = GetParam();
    gradcheck([&c](const std::vector<Tensor>& in) { return c.fn(in[0]); },
              {noncontiguous_leaf(c.shape, 17)}, {}, c.name);
}

std::vector<ViewCase> view_cases() {
    return {
        {"view",
         {2, 3, 4},
         [](const Tensor& x) {
             return x.contiguous().view({4, -1});
         }},
        {"view_split_strided_dim",
         {2, 3, 4},
         [](const Tensor& x) {
             return x.transpose(0, 1).view({3, 2, 2, 2});
         }},
        {"reshape",
         {2, 3, 4},
         [](const Tensor& x) {
             return x.reshape({3, 8});
         }},
        {"transpose", {2, 3, 4}, [](const Tensor& x) { return x.transpose(0, 2); }},
        {"permute",
         {2, 3, 4},
         [](const Tensor& x) {
             return x.permute({2, 0, 1});
         }},
        {"slice_step", {2, 7, 3}, [](const Tensor& x) { return x.slice(1, 1, 7, 2); }},
        {"slice_negative", {2, 7, 3}, [](const Tensor& x) { return x.slice(-2, -4, -1); }},
        {"select",
         {3, 4, 2},
         [](const Tensor& x) { return x.select(1, -1) + x.select(1, 0) * 2.0; }},
        {"select_dim0", {3, 4, 2}, [](const Tensor& x) { return x.select(0, 2); }},
        {"narrow", {3, 5, 2}, [](const Tensor& x) { return x.narrow(1, 1, 3); }},
        {"expand",
         {3, 1, 4, 2},
         [](const Tensor& x) {
             return x.expand({2, 3, 5, 4, 2});
         }},
        {"expand_minus_one",
         {1, 3, 2},
         [](const Tensor& x) {
             return x.expand({4, -1, -1});
         }},
        {"unsqueeze", {3, 2}, [](const Tensor& x) { return x.unsqueeze(1).unsqueeze(-1); }},
        {"squeeze", {2, 1, 3, 2}, [](const Tensor& x) { return x.squeeze(1); }},
        {"flatten", {2, 3, 4}, [](const Tensor& x) { return x.flatten(1); }},
        {"flatten_all", {2, 3, 4}, [](const Tensor& x) { return x.flatten(); }},
        {"contiguous", {3, 4}, [](const Tensor& x) { return x.contiguous() * x; }},
        {"clone", {3, 4}, [](const Tensor& x) { return x.clone() * x; }},
        {"to_float64_noop", {3, 4}, [](const Tensor& x) { return x.to(DType::Float64); }},
        {"mT", {2, 3, 4}, [](const Tensor& x) { return x.mT(); }},
    };
}

INSTANTIATE_TEST_SUITE_P(Ops,
                         GradcheckView,
                         ::testing::ValuesIn(view_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(GradcheckShape, ToFloat32AndBack) {
    // through float32: the central difference sees float rounding, so a larger step and a
    // looser tolerance (the analytic gradient is exactly 3)
    testing::GradcheckOptions opt;
    opt.eps = 1e-2;
    opt.rtol = 1e-4;
    opt.atol = 1e-5;
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return (in[0].to(DType::Float32) * 3.0).to(DType::Float64);
        },
        {noncontiguous_leaf({3, 4}, 18)}, opt, "to(float32) and back");
    Tensor x = leaf({2}, 19);
    Tensor y = x.to(DType::Float32);
    EXPECT_EQ(y.dtype(), DType::Float32);
    y.sum().backward();
    EXPECT_EQ(x.grad().dtype(), DType::Float64);
    testing::expect_values(x.grad(), {1.0, 1.0});
}

}  // namespace
}  // namespace lm
