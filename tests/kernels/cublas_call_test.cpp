// The cuBLAS calls of the CUDA backend checked on the CPU: cuda::cublas_call (core/cuda/
// matmul_cuda_plan.h) turns a GemmPlan into every argument of cublasGemmStridedBatchedEx_64; here that
// call is replayed through column-major OpenBLAS (cuBLAS's semantics: column-major, op on A and
// B, pointers advanced by the batch strides) and compared with a naive row-major product. The
// row-major plans of the attention kernels (core/ops/matmul_cuda_rm.h) are checked the same way.
#include <gtest/gtest.h>

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/check.h"
#include "core/ops/matmul_cuda_plan.h"
#include "core/ops/matmul_cuda_rm.h"

namespace lm::cuda {
namespace {

std::vector<double> random_buffer(size_t n, uint32_t seed) {
    std::vector<double> v(n);
    uint32_t s = seed * 2654435761u + 7;
    for (double& x : v) {
        s = s * 1664525u + 1013904223u;
        x = static_cast<double>((s >> 8) % 2001) / 1000.0 - 1.0;
    }
    return v;
}

// cublasGemmStridedBatchedEx_64 as cuBLAS defines it, through column-major OpenBLAS.
void replay(const CublasGemmCall& c,
            const double* a,
            const double* b,
            double* out,
            double alpha,
            double beta) {
    ASSERT_EQ(cublas_call_problem(c), "");
    for (int64_t i = 0; i < c.batch; ++i) {
        cblas_dgemm(CblasColMajor, c.trans_a ? CblasTrans : CblasNoTrans,
                    c.trans_b ? CblasTrans : CblasNoTrans, c.m, c.n, c.k, alpha, a + i * c.stride_a,
                    c.lda, b + i * c.stride_b, c.ldb, beta, out + i * c.stride_c, c.ldc);
    }
}

// Row-major C[b] = alpha op(A[b]) op(B[b]) + beta C[b] through gemm_rm_plan + cublas_call.
void check_row_major(
    bool ta, bool tb, int64_t batch, int64_t M, int64_t N, int64_t K, int64_t pad, bool bcast_b) {
    const std::string what = "ta " + std::to_string(ta) + " tb " + std::to_string(tb) + " batch " +
                             std::to_string(batch) + " M " + std::to_string(M) + " N " +
                             std::to_string(N) + " K " + std::to_string(K) + " pad " +
                             std::to_string(pad) + (bcast_b ? " bcast B" : "");
    RowMajorGemm g;
    g.trans_a = ta, g.trans_b = tb, g.M = M, g.N = N, g.K = K, g.batch = batch;
    g.lda = (ta ? M : K) + pad, g.ldb = (tb ? K : N) + pad, g.ldc = N + pad;
    g.stride_a = (ta ? K : M) * g.lda, g.stride_b = bcast_b ? 0 : (tb ? N : K) * g.ldb;
    g.stride_c = M * g.ldc;
    const auto A = random_buffer(static_cast<size_t>(batch * g.stride_a), 1 + M + K);
    const auto B =
        random_buffer(static_cast<size_t>((bcast_b ? 1 : batch) * (tb ? N : K) * g.ldb), 2 + N + K);
    std::vector<double> C = random_buffer(static_cast<size_t>(batch * g.stride_c), 3);
    const std::vector<double> C0 = C;
    const double alpha = 1.25, beta = 0.5;
    const CublasGemmCall call = cublas_call(gemm_rm_plan(g), DType::Float64, DType::Float64, false);
    replay(call, B.data(), A.data(), C.data(), alpha, beta);  // first = B, second = A
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t i = 0; i < M; ++i) {
            for (int64_t j = 0; j < N + pad; ++j) {
                const size_t at = static_cast<size_t>(b * g.stride_c + i * g.ldc + j);
                if (j >= N) {
                    ASSERT_EQ(C[at], C0[at]) << what << ": wrote into the padding";
                    continue;
                }
                double ref = beta * C0[at];
                for (int64_t p = 0; p < K; ++p) {
                    const double av =
                        ta ? A[b * g.stride_a + p * g.lda + i] : A[b * g.stride_a + i * g.lda + p];
                    const double bv =
                        tb ? B[b * g.stride_b + j * g.ldb + p] : B[b * g.stride_b + p * g.ldb + j];
                    ref += alpha * av * bv;
                }
                ASSERT_NEAR(C[at], ref, 1e-12 * (K + 1)) << what << " at " << b << "," << i;
            }
        }
    }
}

TEST(CublasCall, RowMajorPlansMatchNaiveProducts) {
    const int64_t shapes[][3] = {{1, 1, 1},   {3, 5, 2}, {7, 4, 9},
                                 {16, 16, 1}, {1, 9, 5}, {33, 17, 8}};
    for (const auto& s : shapes) {
        for (int t = 0; t < 4; ++t) {
            for (int64_t pad : {0, 3}) {
                check_row_major(t & 1, t & 2, 3, s[0], s[1], s[2], pad, false);
                check_row_major(t & 1, t & 2, 2, s[0], s[1], s[2], pad, true);
            }
        }
    }
}

TEST(CublasCall, CopiesThePlanAndPicksTypes) {
    const kernels::OperandLayout la{true, false, 7}, lb{true, true, 5};
    const kernels::GemmPlan p = kernels::make_gemm_plan(4, 3, 5, la, lb, 9, 2, 40, 0, 36);
    const CublasGemmCall c = cublas_call(p, DType::Float32, DType::Float32, false);
    EXPECT_EQ(c.m, 3);
    EXPECT_EQ(c.n, 4);
    EXPECT_EQ(c.k, 5);
    EXPECT_TRUE(c.trans_a);   // cuBLAS's A is the row-major B
    EXPECT_FALSE(c.trans_b);  // cuBLAS's B is the row-major A
    EXPECT_EQ(c.lda, 5);
    EXPECT_EQ(c.ldb, 7);
    EXPECT_EQ(c.ldc, 9);
    EXPECT_EQ(c.stride_a, 0);
    EXPECT_EQ(c.stride_b, 40);
    EXPECT_EQ(c.stride_c, 36);
    EXPECT_EQ(c.batch, 2);
    EXPECT_EQ(c.compute, BlasCompute::F32);
    EXPECT_FALSE(c.double_scalars);
    EXPECT_EQ(cublas_call(p, DType::Float32, DType::Float32, true).compute, BlasCompute::F32_TF32);
    const CublasGemmCall d = cublas_call(p, DType::Float64, DType::Float64, true);
    EXPECT_EQ(d.compute, BlasCompute::F64);  // TF32 never applies to double
    EXPECT_TRUE(d.double_scalars);
    const CublasGemmCall m = cublas_call(p, DType::BFloat16, DType::Float32, true);
    EXPECT_EQ(m.a_type, BlasType::BF16);
    EXPECT_EQ(m.c_type, BlasType::F32);
    EXPECT_EQ(m.compute, BlasCompute::F32);  // 16-bit inputs accumulate in fp32
    EXPECT_EQ(cublas_call(p, DType::Float16, DType::Float32, false).b_type, BlasType::F16);
}

TEST(CublasCall, RejectsUnsupportedTypesAndBadLeadingDims) {
    const kernels::GemmPlan p =
        kernels::make_gemm_plan(2, 2, 2, {true, false, 2}, {true, false, 2}, 2, 1, 0, 0, 0);
    EXPECT_THROW(cublas_call(p, DType::Int32, DType::Int32, false), Error);
    EXPECT_THROW(cublas_call(p, DType::Float32, DType::BFloat16, false), Error);
    EXPECT_THROW(cublas_call(p, DType::Float64, DType::Float32, false), Error);
    CublasGemmCall c = cublas_call(p, DType::Float32, DType::Float32, false);
    EXPECT_EQ(cublas_call_problem(c), "");
    c.lda = 1;
    EXPECT_NE(cublas_call_problem(c), "");
    c = cublas_call(p, DType::Float32, DType::Float32, false);
    c.ldc = 1;
    EXPECT_NE(cublas_call_problem(c), "");
    c.m = 0;
    EXPECT_TRUE(c.empty());
}

}  // namespace
}  // namespace lm::cuda
