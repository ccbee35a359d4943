// OpenBLAS launcher for GEMM plans. Small matrices run one per thread (OpenBLAS's OpenMP build
// then runs each call single-threaded); large ones run one at a time with BLAS threading.
#include <cblas.h>

#include "core/base/check.h"
#include "core/base/parallel.h"
#include "core/ops/matmul_impl.h"

namespace lm::cpu {

namespace {

// Below this many multiply-adds per matrix, batching across threads beats threaded BLAS.
inline constexpr int64_t kSmallGemmMacs = 1 << 21;

template <class T>
void gemm_one(const kernels::GemmPlan& p, const T* first, const T* second, T* c, T alpha, T beta) {
    const auto ta = p.trans_first ? CblasTrans : CblasNoTrans;
    const auto tb = p.trans_second ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>) {
        cblas_sgemm(CblasColMajor, ta, tb, p.m, p.n, p.k, alpha, first, p.ld_first, second,
                    p.ld_second, beta, c, p.ldc);
    } else {
        cblas_dgemm(CblasColMajor, ta, tb, p.m, p.n, p.k, alpha, first, p.ld_first, second,
                    p.ld_second, beta, c, p.ldc);
    }
}

template <class T>
void gemm_typed(const kernels::GemmPlan& p, const T* first, const T* second, T* c, T alpha, T beta) {
    if (p.m == 0 || p.n == 0) return;
    auto one = [&](int64_t i) {
        gemm_one<T>(p, first + i * p.stride_first, second + i * p.stride_second, c + i * p.stride_c,
                    alpha, beta);
    };
    if (p.batch == 1) {
        one(0);
    } else if (p.m * p.n * std::max<int64_t>(p.k, 1) <= kSmallGemmMacs) {
        parallel_for(0, p.batch, 1, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) one(i);
        });
    } else {
        for (int64_t i = 0; i < p.batch; ++i) one(i);
    }
}

}  // namespace

void gemm(const kernels::GemmPlan& plan, DType dtype, const void* first, const void* second, void* c,
          double alpha, double beta) {
    if (dtype == DType::Float32) {
        gemm_typed<float>(plan, static_cast<const float*>(first), static_cast<const float*>(second),
                          static_cast<float*>(c), static_cast<float>(alpha), static_cast<float>(beta));
    } else if (dtype == DType::Float64) {
        gemm_typed<double>(plan, static_cast<const double*>(first),
                           static_cast<const double*>(second), static_cast<double*>(c), alpha, beta);
    } else {
        LM_CHECK(false, "matmul: expected float32 or float64 tensors, got ", dtype_name(dtype));
    }
}

}  // namespace lm::cpu
