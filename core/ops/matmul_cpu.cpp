// OpenBLAS launcher for GEMM plans. Each matrix product is cut into tiles whose geometry depends
// only on the shapes: blocks of C's rows, then of its columns, then (for a single large product
// with a small C, such as a weight gradient) of the inner dim, whose partial products are summed
// in a fixed order. Every tile is one single-threaded BLAS call and tiles are spread over the
// threads, so results do not depend on the thread count (OpenBLAS's own threading blocks the
// inner dim differently for different thread counts).
#include <cblas.h>

#include <algorithm>
#include <vector>

#include "core/base/check.h"
#include "core/base/parallel.h"
#include "core/kernels/index.h"
#include "core/ops/cpu_blas.h"
#include "core/ops/matmul_backend.h"
#include "core/ops/matmul_direct_cpu.h"

namespace lm::cpu {

namespace {

inline constexpr int64_t kTileMacs = int64_t{1} << 24;  // multiply-adds per tile, roughly
inline constexpr int64_t kMinTileMN = 64;               // rows or columns of C per tile
inline constexpr int64_t kMinTileK = 256;               // inner-dim length per partial product

// Number of blocks along C's rows (the plan's n), C's columns (m) and the inner dim (k).
struct Tiling {
    int64_t rows = 1, cols = 1, ks = 1;
};

int64_t blocks_for(int64_t want, int64_t extent, int64_t min_size) {
    return std::clamp<int64_t>(want, 1, std::max<int64_t>(1, extent / min_size));
}

Tiling choose_tiling(const kernels::GemmPlan& p) {
    Tiling t;
    int64_t want = kernels::ceil_div(p.m * p.n * std::max<int64_t>(p.k, 1), kTileMacs);
    t.rows = blocks_for(want, p.n, kMinTileMN);
    want = kernels::ceil_div(want, t.rows);
    t.cols = blocks_for(want, p.m, kMinTileMN);
    want = kernels::ceil_div(want, t.cols);
    if (p.batch == 1) t.ks = blocks_for(want, p.k, kMinTileK);  // batches parallelise anyway
    return t;
}

// One column-major call of the plan's transposes on an m x n x k sub-problem.
template <class T>
void blas_gemm(const kernels::GemmPlan& p,
               int64_t m,
               int64_t n,
               int64_t k,
               T alpha,
               const T* first,
               const T* second,
               T beta,
               T* c,
               int64_t ldc) {
    ensure_sequential_blas();
    const auto ta = p.trans_first ? CblasTrans : CblasNoTrans;
    const auto tb = p.trans_second ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>) {
        cblas_sgemm(CblasColMajor, ta, tb, m, n, k, alpha, first, p.ld_first, second, p.ld_second,
                    beta, c, ldc);
    } else {
        cblas_dgemm(CblasColMajor, ta, tb, m, n, k, alpha, first, p.ld_first, second, p.ld_second,
                    beta, c, ldc);
    }
}

// One sub-problem of a plan: column-major C[m, n] (ld ldc) = alpha op(first) op(second) + beta C
// (+ bias[row] on every column, the direct kernel only).
template <class T>
struct Tile {
    int64_t m, n, k;
    T alpha;
    const T* first;
    const T* second;
    T beta;
    T* c;
    int64_t ldc;
    const T* bias;
};

// One tile: the direct kernel when `direct` (float products it suits, matmul_direct_cpu.h), else
// OpenBLAS. The choice depends on the product's shape only, so results stay independent of the
// thread count.
template <class T>
void tile_gemm(bool direct, const kernels::GemmPlan& p, const Tile<T>& t) {
    if constexpr (std::is_same_v<T, float>) {
        if (direct) {
            // Column-major C[m, n] is row-major C'[n, m] = op(second)^T op(first)^T.
            DirectGemm g;
            g.M = t.n, g.N = t.m, g.K = t.k, g.alpha = t.alpha, g.beta = t.beta;
            g.a = t.second, g.a_rs = p.trans_second ? 1 : p.ld_second;
            g.a_cs = p.trans_second ? p.ld_second : 1;
            g.b = t.first, g.b_rs = p.trans_first ? 1 : p.ld_first;
            g.b_cs = p.trans_first ? p.ld_first : 1;
            g.c = t.c, g.ldc = t.ldc, g.bias = t.bias;
            return direct_gemm(g);
        }
    }
    LM_ASSERT(t.bias == nullptr, "gemm: a bias epilogue needs the direct kernel");
    blas_gemm<T>(p, t.m, t.n, t.k, t.alpha, t.first, t.second, t.beta, t.c, t.ldc);
}

// C[j][row] = bias[row] for every matrix of the plan (column-major, so the bias runs down C's
// columns): the start of C = A B + bias where the direct kernel does not apply.
template <class T>
void broadcast_bias(const kernels::GemmPlan& p, T* c, const T* bias) {
    parallel_for(0, p.batch * p.n, std::max<int64_t>(1, 32768 / p.m), [&](int64_t b, int64_t e) {
        for (int64_t q = b; q < e; ++q) {
            T* col = c + q / p.n * p.stride_c + q % p.n * p.ldc;
            std::copy(bias, bias + p.m, col);
        }
    });
}

// Sum of the inner-dim partial products, in slot order, into C.
template <class T>
void combine_partials(const kernels::GemmPlan& p,
                      int64_t slots,
                      const std::vector<T>& partial,
                      T* c,
                      T alpha,
                      T beta,
                      const T* bias) {
    parallel_for(0, p.n, std::max<int64_t>(1, 32768 / p.m), [&](int64_t begin, int64_t end) {
        for (int64_t j = begin; j < end; ++j) {
            for (int64_t row = 0; row < p.m; ++row) {
                T s = 0;
                for (int64_t kb = 0; kb < slots; ++kb)
                    s += partial[kb * p.m * p.n + j * p.m + row];
                T& out = c[j * p.ldc + row];
                out = alpha * s + (bias ? bias[row] : beta == T(0) ? T(0) : beta * out);
            }
        }
    });
}

template <class T>
void gemm_typed(const kernels::GemmPlan& p,
                const T* first,
                const T* second,
                T* c,
                T alpha,
                T beta,
                const T* bias) {
    if (p.m == 0 || p.n == 0) return;
    const Tiling t = choose_tiling(p);
    const bool direct = std::is_same_v<T, float> && direct_gemm_suits(p.n, p.m, p.k);
    if (bias && !direct) {
        broadcast_bias(p, c, bias);
        beta = T(1), bias = nullptr;
    }
    const int64_t per_matrix = t.rows * t.cols * t.ks;
    // With a split inner dim, tile (.., kb) writes its product to slot kb (ld m) of `partial`.
    std::vector<T> partial(t.ks > 1 ? static_cast<size_t>(t.ks * p.m * p.n) : 0);
    // Tiles are handed out one at a time (not in one contiguous share per thread): a tile's
    // result does not depend on the thread that computes it, and a thread that falls behind
    // (a busy core on a shared machine) no longer holds up the whole product.
    detail::run_parallel(p.batch * per_matrix, [&](int64_t task) {
        {
            const int64_t i = task / per_matrix, r = task % per_matrix;
            const int64_t rb = r / (t.cols * t.ks), cb = r / t.ks % t.cols, kb = r % t.ks;
            const int64_t r0 = p.n * rb / t.rows, r1 = p.n * (rb + 1) / t.rows;
            const int64_t c0 = p.m * cb / t.cols, c1 = p.m * (cb + 1) / t.cols;
            const int64_t k0 = p.k * kb / t.ks, k1 = p.k * (kb + 1) / t.ks;
            // rows c0.. and columns k0.. of op(first); columns r0.. and rows k0.. of op(second)
            const T* f = first + i * p.stride_first +
                         (p.trans_first ? c0 * p.ld_first + k0 : c0 + k0 * p.ld_first);
            const T* s = second + i * p.stride_second +
                         (p.trans_second ? r0 + k0 * p.ld_second : r0 * p.ld_second + k0);
            if (t.ks == 1) {
                tile_gemm<T>(
                    direct, p,
                    {c1 - c0, r1 - r0, k1 - k0, alpha, f, s, beta,
                     c + i * p.stride_c + r0 * p.ldc + c0, p.ldc, bias ? bias + c0 : nullptr});
            } else {
                tile_gemm<T>(direct, p,
                             {c1 - c0, r1 - r0, k1 - k0, T(1), f, s, T(0),
                              partial.data() + kb * p.m * p.n + r0 * p.m + c0, p.m, nullptr});
            }
        }
    });
    if (t.ks > 1) combine_partials(p, t.ks, partial, c, alpha, beta, bias);
}

}  // namespace

namespace {

void gemm_dispatch(const kernels::GemmPlan& plan,
                   DType dtype,
                   const void* first,
                   const void* second,
                   void* c,
                   double alpha,
                   double beta,
                   const void* bias) {
    if (dtype == DType::Float32) {
        gemm_typed<float>(plan, static_cast<const float*>(first), static_cast<const float*>(second),
                          static_cast<float*>(c), static_cast<float>(alpha),
                          static_cast<float>(beta), static_cast<const float*>(bias));
    } else if (dtype == DType::Float64) {
        gemm_typed<double>(plan, static_cast<const double*>(first),
                           static_cast<const double*>(second), static_cast<double*>(c), alpha, beta,
                           static_cast<const double*>(bias));
    } else {
        LM_CHECK(false, "matmul: expected float32 or float64 tensors, got ", dtype_name(dtype));
    }
}

}  // namespace

void gemm(const kernels::GemmPlan& plan,
          DType dtype,
          const void* first,
          const void* second,
          void* c,
          double alpha,
          double beta) {
    gemm_dispatch(plan, dtype, first, second, c, alpha, beta, nullptr);
}

void gemm_bias(const kernels::GemmPlan& plan,
               DType dtype,
               const void* first,
               const void* second,
               void* c,
               const void* bias) {
    gemm_dispatch(plan, dtype, first, second, c, 1.0, 0.0, bias);
}

}  // namespace lm::cpu
