// GEMM call plans: how a row-major product C[m,n] = A[m,k] @ B[k,n] over strided views maps
// onto one column-major BLAS call (OpenBLAS cblas_?gemm with CblasColMajor, or cuBLAS
// ?gemmStridedBatched). Computed on the host; a CPU test checks plans against OpenBLAS so a
// wrong transpose or leading dimension shows up without a GPU.
//
// Row-major X with row stride ld is the column-major matrix X^T with the same ld, so the call is
//   C^T[n,m] = op(B)^T[n,k] @ op(A)^T[k,m]:  gemm(op_b, op_a, n, m, k, B, ldb, A, lda, C, ldc).
#pragma once

#include <algorithm>
#include <cstdint>

namespace lm::kernels {

// How one row-major [rows, cols] operand with element strides (row_stride, col_stride) is handed
// to column-major BLAS. `usable` is false when no transpose/ld makes it a BLAS matrix (the caller
// then passes a contiguous copy).
struct OperandLayout {
    bool usable = false;
    bool trans = false;  // column-major op: 'T' when the view is a transposed row-major matrix
    int64_t ld = 1;
};

inline OperandLayout operand_layout(int64_t rows,
                                    int64_t cols,
                                    int64_t row_stride,
                                    int64_t col_stride) {
    OperandLayout l;
    if ((col_stride == 1 || cols == 1) && (row_stride >= std::max<int64_t>(cols, 1) || rows == 1)) {
        l = {true, false, std::max<int64_t>({row_stride, cols, 1})};
        if (rows == 1) l.ld = std::max<int64_t>(cols, 1);
    } else if ((row_stride == 1 || rows == 1) &&
               (col_stride >= std::max<int64_t>(rows, 1) || cols == 1)) {
        l = {true, true, std::max<int64_t>({col_stride, rows, 1})};
        if (cols == 1) l.ld = std::max<int64_t>(rows, 1);
    }
    return l;
}

// One column-major batched call. Pointers are advanced by stride_* elements per batch item
// (0 broadcasts an operand over the batch).
struct GemmPlan {
    bool trans_first = false;     // op of the first column-major operand (B)
    bool trans_second = false;    // op of the second column-major operand (A)
    int64_t m = 0, n = 0, k = 0;  // column-major sizes: m = cols of C, n = rows of C
    int64_t ld_first = 1, ld_second = 1, ldc = 1;
    int64_t batch = 1;
    int64_t stride_first = 0, stride_second = 0, stride_c = 0;
};

// Plan for C[b] = A[b] @ B[b], given per-operand layouts and batch strides (elements).
inline GemmPlan make_gemm_plan(int64_t m,
                               int64_t n,
                               int64_t k,
                               const OperandLayout& a,
                               const OperandLayout& b,
                               int64_t ldc,
                               int64_t batch,
                               int64_t batch_stride_a,
                               int64_t batch_stride_b,
                               int64_t batch_stride_c) {
    GemmPlan p;
    p.trans_first = b.trans;
    p.trans_second = a.trans;
    p.m = n;
    p.n = m;
    p.k = k;
    p.ld_first = b.ld;
    p.ld_second = a.ld;
    p.ldc = std::max<int64_t>(ldc, std::max<int64_t>(n, 1));
    p.batch = batch;
    p.stride_first = batch_stride_b;
    p.stride_second = batch_stride_a;
    p.stride_c = batch_stride_c;
    return p;
}

}  // namespace lm::kernels
