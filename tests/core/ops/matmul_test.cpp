// Finite-difference gradient checks (float64) of matmul (torch.matmul semantics: 1-D promotion,
// broadcast batch dims, transposed and permuted operands passed to BLAS as views) and linear,
// plus forward values against a naive product.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ops/matmul.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::gradcheck;
using testing::leaf;

Tensor mm(const std::vector<Tensor>& in) {
    return matmul(in[0], in[1]);
}

// Naive product of the last two dims of contiguous 3-D double tensors a [B|1, m, k], b [B|1, k, n].
std::vector<double> naive_bmm(const Tensor& a, const Tensor& b) {
    const int64_t B = std::max(a.size(0), b.size(0)), m = a.size(1), k = a.size(2), n = b.size(2);
    const auto av = a.to_vector<double>(), bv = b.to_vector<double>();
    std::vector<double> out(B * m * n, 0.0);
    for (int64_t t = 0; t < B; ++t) {
        const int64_t ta = a.size(0) == 1 ? 0 : t, tb = b.size(0) == 1 ? 0 : t;
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                double s = 0;
                for (int64_t p = 0; p < k; ++p)
                    s += av[(ta * m + i) * k + p] * bv[(tb * k + p) * n + j];
                out[(t * m + i) * n + j] = s;
            }
        }
    }
    return out;
}

TEST(GradcheckMatmul, TwoD) {
    gradcheck(mm, {leaf({3, 4}, 1), leaf({4, 5}, 2)}, {}, "[3,4] @ [4,5]");
    gradcheck(mm, {leaf({1, 4}, 3), leaf({4, 1}, 4)}, {}, "[1,4] @ [4,1]");
}

TEST(GradcheckMatmul, Transposes) {
    // leaves stored [4, 3] and [5, 4] used through .mT(): BLAS transposes, no copies
    const Tensor at = leaf({4, 3}, 5), bt = leaf({5, 4}, 6);
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0].mT(), in[1]); },
              {at, leaf({4, 5}, 7)}, {}, "A^T @ B");
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0], in[1].mT()); },
              {leaf({3, 4}, 8), bt}, {}, "A @ B^T");
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0].mT(), in[1].mT()); },
              {at, bt}, {}, "A^T @ B^T");
    // non-contiguous leaves (transposed storage) and a strided slice
    gradcheck(mm, {testing::noncontiguous_leaf({3, 4}, 9), testing::noncontiguous_leaf({4, 2}, 10)},
              {}, "non-contiguous leaves");
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0].slice(1, 0, 8, 2), in[1]); },
              {leaf({3, 8}, 11), leaf({4, 2}, 12)}, {}, "column-strided slice");
}

TEST(GradcheckMatmul, OneDPromotion) {
    gradcheck(mm, {leaf({4}, 13), leaf({4, 3}, 14)}, {}, "[4] @ [4,3]");
    gradcheck(mm, {leaf({3, 4}, 15), leaf({4}, 16)}, {}, "[3,4] @ [4]");
    gradcheck(mm, {leaf({4}, 17), leaf({4}, 18)}, {}, "[4] @ [4]");
    gradcheck(mm, {leaf({4}, 19), leaf({2, 4, 3}, 20)}, {}, "[4] @ [2,4,3]");
    gradcheck(mm, {leaf({2, 3, 4}, 21), leaf({4}, 22)}, {}, "[2,3,4] @ [4]");
    EXPECT_EQ(matmul(leaf({4}, 1), leaf({4}, 2)).dim(), 0);
    EXPECT_EQ(matmul(leaf({4}, 1), leaf({2, 4, 3}, 2)).shape(), Shape({2, 3}));
}

TEST(GradcheckMatmul, Batched) {
    gradcheck(mm, {leaf({2, 3, 4}, 23), leaf({2, 4, 5}, 24)}, {}, "[2,3,4] @ [2,4,5]");
    // folded path: contiguous batched A times a 2-D B is one GEMM over all rows
    gradcheck(mm, {leaf({2, 3, 4}, 25), leaf({4, 5}, 26)}, {}, "[2,3,4] @ [4,5]");
    gradcheck(mm, {leaf({3, 4}, 27), leaf({2, 4, 5}, 28)}, {}, "[3,4] @ [2,4,5]");
    // broadcast batch dims
    gradcheck(mm, {leaf({2, 1, 3, 4}, 29), leaf({3, 4, 2}, 30)}, {}, "[2,1,3,4] @ [3,4,2]");
    gradcheck(mm, {leaf({1, 3, 4}, 31), leaf({2, 4, 2}, 32)}, {}, "[1,3,4] @ [2,4,2]");
    // batched transposes and a permuted (batch-interleaved) operand: [m, B, k] -> [B, m, k]
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0], in[1].mT()); },
              {leaf({2, 3, 4}, 33), leaf({2, 5, 4}, 34)}, {}, "Q @ K^T");
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return matmul(in[0].permute({1, 0, 2}), in[1]);
        },
        {leaf({3, 2, 4}, 35), leaf({2, 4, 3}, 36)}, {}, "permuted A");
    gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0].mT(), in[1]); },
              {leaf({2, 4, 3}, 37), leaf({4, 5}, 38)}, {}, "batched A^T @ 2-D B (not folded)");
}

TEST(GradcheckMatmul, ForwardMatchesNaive) {
    const Tensor a = testing::random_tensor({3, 5, 7}, 40),
                 b = testing::random_tensor({1, 7, 4}, 41);
    const auto ref = naive_bmm(a, b);
    testing::expect_values(matmul(a, b), ref, 1e-12);
    // the same product through transposed and permuted views of other storage
    const Tensor at = a.transpose(1, 2).contiguous().transpose(1, 2);
    const Tensor bp = b.permute({2, 0, 1}).contiguous().permute({1, 2, 0});
    ASSERT_FALSE(at.is_contiguous());
    ASSERT_FALSE(bp.is_contiguous());
    testing::expect_values(matmul(at, bp), ref, 1e-12);
    testing::expect_values(matmul(a.to(DType::Float32), b.to(DType::Float32)), ref, 1e-5);
    testing::expect_values(matmul(a, b.squeeze(0)), ref, 1e-12);  // folded path
}

// Products large enough to be cut into tiles (rows of C, columns of C, and the inner dim with
// partial sums), through every combination of transposed operands, against a naive product.
TEST(GradcheckMatmul, TiledProductsMatchNaive) {
    struct Case {
        int64_t batch, m, n, k;
    };
    const Case cases[] = {
        {1, 300, 200, 100},  // row tiles
        {1, 64, 130, 1100},  // column tiles and an inner-dim split
        {1, 8, 16, 40000},   // inner-dim split only (a weight-gradient shape)
        {2, 200, 70, 400},   // batched, row tiles
    };
    for (const Case& c : cases) {
        for (int trans = 0; trans < 4; ++trans) {
            const bool ta = trans & 1, tb = trans & 2;
            const Tensor a = testing::random_tensor({c.batch, c.m, c.k}, 60 + trans);
            const Tensor b = testing::random_tensor({c.batch, c.k, c.n}, 70 + trans);
            const Tensor av = ta ? a.mT().contiguous().mT() : a;  // same values, other layout
            const Tensor bv = tb ? b.mT().contiguous().mT() : b;
            const auto ref = naive_bmm(a, b);
            // Appended piece by piece: GCC 12 reports a false -Wrestrict on "literal" + string&&.
            std::string what = "[";
            for (const auto& part : {std::to_string(c.batch) + ", ", std::to_string(c.m) + ", ",
                                     std::to_string(c.k) + "] @ [.., ",
                                     std::to_string(c.n) + "] trans ", std::to_string(trans)})
                what += part;
            testing::expect_close(matmul(av, bv),
                                  from_vector(ref, {c.batch, c.m, c.n}, {DType::Float64}), 1e-12,
                                  1e-12, what);
            // alpha and beta into a row-padded output view
            Tensor big = testing::random_tensor({c.batch, c.m, c.n + 3}, 80);
            const auto before = big.to_vector<double>();
            ops::gemm_into(big.narrow(2, 0, c.n), av, bv, 2.0, 0.5);
            const auto after = big.to_vector<double>();
            for (int64_t i = 0; i < c.batch * c.m; ++i) {
                for (int64_t j = 0; j < c.n + 3; ++j) {
                    const size_t at = static_cast<size_t>(i * (c.n + 3) + j);
                    const double want =
                        j < c.n ? 2 * ref[i * c.n + j] + 0.5 * before[at] : before[at];
                    ASSERT_NEAR(after[at], want, 1e-11)
                        << what << " gemm_into at " << i << ", " << j;
                }
            }
        }
    }
}

TEST(GradcheckMatmul, Linear) {
    const Tensor w = leaf({3, 4}, 42), b = leaf({3}, 43);
    auto lin = [](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); };
    gradcheck(lin, {leaf({5, 4}, 44), w, b}, {}, "linear 2-D");
    gradcheck(lin, {leaf({2, 3, 4}, 45), w, b}, {}, "linear 3-D");
    gradcheck(lin, {leaf({4}, 46), w, b}, {}, "linear 1-D");
    gradcheck(lin, {testing::noncontiguous_leaf({2, 4}, 47), w, b}, {}, "linear non-contiguous x");
    gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1]); },
              {leaf({2, 5, 4}, 48), w}, {}, "linear without bias");
    gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1].mT(), in[2]); },
              {leaf({5, 4}, 49), leaf({4, 3}, 50), b}, {}, "linear with a transposed weight");
    // forward: x W^T + b
    const Tensor x = testing::random_tensor({2, 3, 4}, 51);
    const Tensor ref = matmul(x, w.detach().mT()) + b.detach();
    testing::expect_close(linear(x, w.detach(), b.detach()), ref, 1e-12, 1e-12, "linear forward");
    testing::expect_close(linear(x, w.detach()), matmul(x, w.detach().mT()), 1e-12, 1e-12);
}

}  // namespace
}  // namespace lm
