// Row-major batched products as GemmPlans, for CUDA kernels that call cuBLAS on raw buffers
// (the blocked softmax attention): C[b] = alpha op(A[b]) op(B[b]) + beta C[b] with row-major
// A, B, C of leading dimensions lda, ldb, ldc (the cblas_?gemm(CblasRowMajor, ...) convention of
// ops/cpu_blas.h's gemm_rm). The plan is handed to cuda::gemm with first = B, second = A.
#pragma once

#include <cstdint>

#include "core/kernels/gemm_plan.h"

namespace lm::cuda {

struct RowMajorGemm {
    bool trans_a = false, trans_b = false;
    int64_t M = 0, N = 0, K = 0;
    int64_t lda = 1, ldb = 1, ldc = 1;
    int64_t batch = 1, stride_a = 0, stride_b = 0, stride_c = 0;
};

// op(A) [M, K]: A is stored [M, K] (or [K, M] when trans_a) with row stride lda.
inline kernels::GemmPlan gemm_rm_plan(const RowMajorGemm& g) {
    const kernels::OperandLayout la{true, g.trans_a, g.lda}, lb{true, g.trans_b, g.ldb};
    return kernels::make_gemm_plan(g.M, g.N, g.K, la, lb, g.ldc, g.batch, g.stride_a, g.stride_b,
                                   g.stride_c);
}

}  // namespace lm::cuda
