// Direct float GEMM for skinny products, the shapes of this framework's training step: one short
// dimension (a head of 32, a model width of 64-128) against a long one (2048 positions, 65536
// tokens). OpenBLAS packs both operands into its own layout and runs a separate pass for
// beta = 0 before every call; with an inner dim of 32-64 that packing and the extra pass over C
// cost as much as a third of the multiply-adds. Here A is never packed: each element is read
// where it lies and broadcast, B is read in place when its rows are contiguous (else a small
// copy), and C is written once, with alpha and beta applied at the store.
//
// Register blocking: 6 rows x 16 columns of C stay in 12 AVX registers across the inner dim
// (2 loads of B and 6 broadcasts of A per 12 FMAs). An inner dim longer than 256 is walked in
// chunks of 64 (A's and B's chunks together fit L1); chunks after the first add to C. The
// summation order depends only on the shapes, never on threads.
#pragma once

#include <cstdint>

namespace lm::cpu {

// Row-major C[M, N] = alpha A[M, K] B[K, N] + beta C. A[i][k] is a[i * a_rs + k * a_cs] (any
// strides); B[k][j] is b[k * b_rs + j * b_cs]; C rows are ldc apart with unit column stride.
// With beta == 0, C is not read (it may hold NaN). A bias makes it C = alpha A B + bias, the
// linear layer's forward, with no separate pass to broadcast the bias.
struct DirectGemm {
    int64_t M = 0, N = 0, K = 0;
    float alpha = 1, beta = 0;
    const float* a = nullptr;
    int64_t a_rs = 0, a_cs = 0;
    const float* b = nullptr;
    int64_t b_rs = 0, b_cs = 0;
    float* c = nullptr;
    int64_t ldc = 0;
    const float* bias = nullptr;  // optional [N], added to every row of C (with beta == 0)
};

// Whether the direct kernel beats OpenBLAS here: C no wider than 256 columns (B's panel rows
// stay in cache) and M or K at most 256, where OpenBLAS's packing is not amortised.
bool direct_gemm_suits(int64_t M, int64_t N, int64_t K);

// Single-threaded; callers split C (or the inner dim) across threads.
void direct_gemm(const DirectGemm& g);

}  // namespace lm::cpu
