// The direct float GEMM (core/ops/matmul_direct_cpu.h) against a double-precision triple loop:
// every operand layout (row-major, transposed, strided), every row count of the last register
// block, column tails, inner dims on both sides of the chunking, alpha/beta, and beta = 0 with
// NaN in C (C must not be read). Then the same through ops::matmul for shapes it routes there.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/ops/matmul.h"
#include "core/ops/matmul_direct_cpu.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

struct Case {
    int64_t M, N, K;
    bool trans_a, trans_b;
    float alpha, beta;
    bool bias = false;  // C = alpha A B + bias[j] (beta must be 0)
};

// Row-major storage of A (or A^T when trans_a), B (or B^T), C with 3 spare columns (ldc > N).
struct Operands {
    std::vector<float> a, b, c, bias;
    int64_t ldc;
};

Operands make_operands(const Case& t, uint32_t seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    Operands o;
    o.ldc = t.N + 3;
    o.a.resize(static_cast<size_t>(t.M * t.K));
    o.b.resize(static_cast<size_t>(t.K * t.N));
    o.c.resize(static_cast<size_t>(t.M * o.ldc));
    o.bias.resize(static_cast<size_t>(t.N));
    for (float& x : o.bias)
        x = u(gen);
    for (float& x : o.a)
        x = u(gen);
    for (float& x : o.b)
        x = u(gen);
    for (float& x : o.c)
        x = t.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : u(gen);
    return o;
}

void check_case(const Case& t) {
    Operands o = make_operands(t, static_cast<uint32_t>(t.M * 131 + t.N * 17 + t.K));
    const std::vector<float> c0 = o.c;
    cpu::DirectGemm g;
    g.M = t.M, g.N = t.N, g.K = t.K, g.alpha = t.alpha, g.beta = t.beta;
    g.a = o.a.data(), g.a_rs = t.trans_a ? 1 : t.K, g.a_cs = t.trans_a ? t.M : 1;
    g.b = o.b.data(), g.b_rs = t.trans_b ? 1 : t.N, g.b_cs = t.trans_b ? t.K : 1;
    g.c = o.c.data(), g.ldc = o.ldc, g.bias = t.bias ? o.bias.data() : nullptr;
    cpu::direct_gemm(g);
    for (int64_t i = 0; i < t.M; ++i) {
        for (int64_t j = 0; j < o.ldc; ++j) {
            const size_t at = static_cast<size_t>(i * o.ldc + j);
            if (j >= t.N) {  // past the last column: untouched
                ASSERT_TRUE(std::isnan(o.c[at]) || o.c[at] == c0[at]) << "column " << j;
                continue;
            }
            double s = 0;
            for (int64_t k = 0; k < t.K; ++k)
                s += double(o.a[static_cast<size_t>(i * g.a_rs + k * g.a_cs)]) *
                     double(o.b[static_cast<size_t>(k * g.b_rs + j * g.b_cs)]);
            const double start = t.bias           ? double(o.bias[static_cast<size_t>(j)])
                                 : t.beta == 0.0f ? 0.0
                                                  : t.beta * double(c0[at]);
            const double expected = t.alpha * s + start;
            ASSERT_NEAR(o.c[at], expected, 1e-5 * (1 + std::sqrt(double(t.K))))
                << "C[" << i << "][" << j << "] of " << t.M << "x" << t.N << "x" << t.K
                << " trans_a " << t.trans_a << " trans_b " << t.trans_b;
        }
    }
}

TEST(DirectGemm, MatchesDoubleLoopForEveryLayoutAndTail) {
    for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
            for (int64_t M : {1, 5, 6, 7, 13}) {
                for (int64_t N : {1, 16, 21, 32, 40}) {
                    for (int64_t K : {1, 33, 256, 257, 300})
                        check_case({M, N, K, ta, tb, 1, 0});
                }
            }
        }
    }
}

TEST(DirectGemm, AppliesAlphaAndBetaOnceAcrossInnerChunks) {
    for (int64_t K : {7, 256, 700}) {
        check_case({9, 32, K, false, false, 0.5f, 0.0f});
        check_case({9, 32, K, false, false, 1.0f, 1.0f});
        check_case({9, 19, K, true, true, -2.0f, 0.25f});
    }
}

TEST(DirectGemm, AddsTheBiasToEveryRowOnce) {
    for (int64_t K : {0, 5, 64, 300}) {
        check_case({7, 40, K, false, true, 1, 0, true});
        check_case({13, 16, K, true, false, 1, 0, true});
    }
}

// ops::linear_into with a bias: the direct kernel's store (float, out <= 256), the broadcast +
// accumulate path (float, out > 256, and double) all equal x W^T + b.
TEST(DirectGemm, LinearIntoAddsTheBiasOnEveryPath) {
    for (DType dtype : {DType::Float32, DType::Float64}) {
        for (int64_t out : {48, 300}) {
            const Tensor x = randn({500, 24}, {dtype}), w = randn({out, 24}, {dtype});
            const Tensor b = randn({out}, {dtype});
            Tensor y = empty({500, out}, dtype);
            ops::linear_into(y, x, w, b);
            const Tensor expected =
                matmul(x.to(DType::Float64), w.to(DType::Float64).mT()) + b.to(DType::Float64);
            testing::expect_close(y.to(DType::Float64), expected, 0.0,
                                  dtype == DType::Float32 ? 1e-4 : 1e-12);
        }
    }
}

TEST(DirectGemm, EmptyInnerDimScalesC) {
    check_case({4, 20, 0, false, false, 1, 0});
    check_case({4, 20, 0, false, false, 1, 0.5f});
}

// ops::matmul routes skinny float products (a model width against many tokens, batched head
// products) to the direct kernel: compare with the float64 product.
TEST(DirectGemm, MatmulOfSkinnyFloatProductsMatchesFloat64) {
    struct Shape3 {
        int64_t batch, m, k, n;
    };
    for (const Shape3 s : {Shape3{1, 3000, 64, 64}, Shape3{1, 64, 5000, 48}, Shape3{3, 200, 32, 64},
                           Shape3{3, 64, 700, 32}}) {
        const Tensor a = randn({s.batch, s.m, s.k}, {DType::Float64});
        const Tensor b = randn({s.batch, s.k, s.n}, {DType::Float64});
        const Tensor expected = matmul(a, b);
        const Tensor got = matmul(a.to(DType::Float32), b.to(DType::Float32)).to(DType::Float64);
        const double atol = 1e-4 * std::sqrt(double(s.k));
        testing::expect_close(got, expected, 0.0, atol);
        const Tensor got_t = matmul(b.to(DType::Float32).mT(), a.to(DType::Float32).mT());
        testing::expect_close(got_t.to(DType::Float64), expected.mT().contiguous(), 0.0, atol);
    }
}

}  // namespace
}  // namespace lm
