// Row-major BLAS wrappers for CPU kernels that run small GEMMs inside their own parallel loops
// (OpenBLAS's OpenMP build runs such nested calls single-threaded).
#pragma once

#include <cblas.h>

#include <cstdint>
#include <type_traits>

namespace lm::cpu {

// C[M, N] = alpha op(A) op(B) + beta C, all row-major.
template <class T>
void gemm_rm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, T alpha, const T* A,
             int64_t lda, const T* B, int64_t ldb, T beta, T* C, int64_t ldc) {
    const auto ta = trans_a ? CblasTrans : CblasNoTrans;
    const auto tb = trans_b ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>) {
        cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    } else {
        cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    }
}

}  // namespace lm::cpu
