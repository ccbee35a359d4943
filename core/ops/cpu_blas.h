// Row-major BLAS wrappers for CPU kernels that run small GEMMs inside their own parallel loops
// (OpenBLAS's OpenMP build runs such nested calls single-threaded).
#pragma once

#include <cblas.h>
#include <omp.h>

#include <cstdint>
#include <type_traits>

extern "C" void openblas_set_num_threads(int num_threads);

namespace lm::cpu {

// OpenBLAS runs sequentially on every thread that calls it: GEMM tiles are already spread over
// the thread pool (ops/matmul_cpu.cpp), and OpenBLAS's OpenMP build sizes its own threading
// from the calling thread's OpenMP setting. Called before every BLAS call; the work is done once
// per thread.
inline void ensure_sequential_blas() {
    thread_local const bool done = [] {
        openblas_set_num_threads(1);
        omp_set_num_threads(1);
        return true;
    }();
    (void)done;
}

// C[M, N] = alpha op(A) op(B) + beta C, all row-major.
template <class T>
void gemm_rm(bool trans_a,
             bool trans_b,
             int64_t M,
             int64_t N,
             int64_t K,
             T alpha,
             const T* A,
             int64_t lda,
             const T* B,
             int64_t ldb,
             T beta,
             T* C,
             int64_t ldc) {
    ensure_sequential_blas();
    const auto ta = trans_a ? CblasTrans : CblasNoTrans;
    const auto tb = trans_b ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>) {
        cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    } else {
        cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    }
}

}  // namespace lm::cpu
