// GEMM call plans (kernels/gemm_plan.h) checked on the CPU: for row-major shapes and strided,
// transposed, padded, broadcast and interleaved views, the plan is built exactly as
// ops::gemm_into builds it and run through column-major cblas_?gemm, then compared with a naive
// loop. This is the host check of the plans the cuBLAS path uses.
#include <gtest/gtest.h>

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/gemm_plan.h"

namespace lm::kernels {
namespace {

// How one operand of logical shape [batch, rows, cols] sits in its buffer.
enum class Kind { Contiguous, Padded, Transposed, PaddedTransposed, RowBroadcast, Interleaved };
const char* kind_name(Kind k) {
    static const char* names[] = {"contiguous", "padded",    "transposed",
                                  "padded-T",   "row-bcast", "interleaved"};
    return names[static_cast<int>(k)];
}

template <class T>
struct View {
    std::vector<T> buf;
    int64_t batch = 1, rows = 0, cols = 0;
    int64_t batch_stride = 0, row_stride = 0, col_stride = 0;
    T at(int64_t b, int64_t i, int64_t j) const {
        return buf[b * batch_stride + i * row_stride + j * col_stride];
    }
};

// A view of random values; batch 1 views with `broadcast` get batch stride 0 (as gemm_into does
// for a batch size of 1).
template <class T>
View<T> make_view(Kind kind, int64_t batch, int64_t rows, int64_t cols, uint32_t seed) {
    View<T> v;
    v.batch = batch;
    v.rows = rows;
    v.cols = cols;
    int64_t span = 0;
    switch (kind) {
        case Kind::Contiguous:
            v.row_stride = cols, v.col_stride = 1;
            break;
        case Kind::Padded:
            v.row_stride = cols + 3, v.col_stride = 1;
            break;
        case Kind::Transposed:
            v.row_stride = 1, v.col_stride = std::max<int64_t>(rows, 1);
            break;
        case Kind::PaddedTransposed:
            v.row_stride = 1, v.col_stride = rows + 2;
            break;
        case Kind::RowBroadcast:
            v.row_stride = 0, v.col_stride = 1;
            break;
        case Kind::Interleaved:
            v.row_stride = batch * cols, v.col_stride = 1;
            break;
    }
    span = (rows - 1) * v.row_stride + (cols - 1) * v.col_stride + 1;
    if (rows == 0 || cols == 0) span = 1;
    v.batch_stride = kind == Kind::Interleaved ? cols : span + 5;
    v.buf.assign(static_cast<size_t>((batch - 1) * v.batch_stride + std::max<int64_t>(span, 1) +
                                     (kind == Kind::Interleaved ? batch * cols * rows : 0)),
                 T(0));
    uint32_t s = seed * 2654435761u + 1;
    for (T& x : v.buf) {
        s = s * 1664525u + 1013904223u;
        x = static_cast<T>((s >> 8) % 2001) / T(1000) - T(1);
    }
    return v;
}

// gemm_into's `layout_or_copy`: the BLAS layout, or a contiguous copy when there is none.
template <class T>
OperandLayout layout_or_copy(View<T>& v) {
    OperandLayout l = operand_layout(v.rows, v.cols, v.row_stride, v.col_stride);
    if (!l.usable) {
        View<T> c;
        c.batch = v.batch;
        c.rows = v.rows;
        c.cols = v.cols;
        c.row_stride = v.cols;
        c.col_stride = 1;
        c.batch_stride = v.rows * v.cols;
        c.buf.resize(static_cast<size_t>(std::max<int64_t>(v.batch * v.rows * v.cols, 1)));
        for (int64_t b = 0; b < v.batch; ++b) {
            for (int64_t i = 0; i < v.rows; ++i) {
                for (int64_t j = 0; j < v.cols; ++j)
                    c.buf[(b * v.rows + i) * v.cols + j] = v.at(b, i, j);
            }
        }
        v = std::move(c);
        l = operand_layout(v.rows, v.cols, v.row_stride, v.col_stride);
    }
    return l;
}

template <class T>
void blas_gemm(const GemmPlan& p, const T* first, const T* second, T* c, T alpha, T beta) {
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

// C[b] = alpha A[b] @ B[b] + beta C[b] through the plan; A or B of batch 1 broadcast. C rows are
// padded by `c_pad` elements, and the padding must come back untouched.
template <class T>
void check_case(int64_t batch,
                int64_t m,
                int64_t n,
                int64_t k,
                Kind ka,
                Kind kb,
                bool bcast_a,
                bool bcast_b,
                int64_t c_pad,
                T tol) {
    const std::string what = "batch " + std::to_string(batch) + " m " + std::to_string(m) + " n " +
                             std::to_string(n) + " k " + std::to_string(k) + " A " + kind_name(ka) +
                             (bcast_a ? " (bcast)" : "") + " B " + kind_name(kb) +
                             (bcast_b ? " (bcast)" : "") + " c_pad " + std::to_string(c_pad);
    View<T> a = make_view<T>(ka, bcast_a ? 1 : batch, m, k, 1 + m * 7 + k);
    View<T> b = make_view<T>(kb, bcast_b ? 1 : batch, k, n, 2 + n * 5 + k);
    const View<T> a0 = a, b0 = b;
    View<T> c;
    c.batch = batch;
    c.rows = m;
    c.cols = n;
    c.col_stride = 1;
    c.row_stride = n + c_pad;
    c.batch_stride = m * c.row_stride + 1;
    c.buf.assign(static_cast<size_t>(batch * c.batch_stride + 1), T(0));
    for (size_t i = 0; i < c.buf.size(); ++i)
        c.buf[i] = static_cast<T>(i % 7) - T(3);
    const std::vector<T> c_before = c.buf;
    const T alpha = T(1.5), beta = T(0.5);

    const OperandLayout la = layout_or_copy(a), lb = layout_or_copy(b);
    ASSERT_TRUE(la.usable && lb.usable) << what;
    const int64_t ldc = m == 1 ? n : c.row_stride;
    const GemmPlan plan =
        make_gemm_plan(m, n, k, la, lb, ldc, batch, a.batch == 1 ? 0 : a.batch_stride,
                       b.batch == 1 ? 0 : b.batch_stride, batch == 1 ? 0 : c.batch_stride);
    ASSERT_EQ(plan.batch, batch);
    for (int64_t i = 0; i < plan.batch; ++i) {
        blas_gemm<T>(plan, b.buf.data() + i * plan.stride_first,
                     a.buf.data() + i * plan.stride_second, c.buf.data() + i * plan.stride_c, alpha,
                     beta);
    }

    std::vector<bool> inside(c.buf.size(), false);
    for (int64_t bi = 0; bi < batch; ++bi) {
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                const size_t at = static_cast<size_t>(bi * c.batch_stride + i * c.row_stride + j);
                inside[at] = true;
                double ref = beta * static_cast<double>(c_before[at]), scale = std::fabs(ref);
                for (int64_t p = 0; p < k; ++p) {
                    const double t = static_cast<double>(a0.at(bcast_a ? 0 : bi, i, p)) *
                                     static_cast<double>(b0.at(bcast_b ? 0 : bi, p, j));
                    ref += alpha * t;
                    scale += std::fabs(alpha * t);
                }
                ASSERT_NEAR(static_cast<double>(c.buf[at]), ref, tol * (scale + 1))
                    << what << " at [" << bi << ", " << i << ", " << j << "]";
            }
        }
    }
    for (size_t i = 0; i < c.buf.size(); ++i) {
        if (!inside[i]) {
            ASSERT_EQ(c.buf[i], c_before[i]) << what << ": wrote outside C at " << i;
        }
    }
}

const Kind kKinds[] = {Kind::Contiguous,       Kind::Padded,       Kind::Transposed,
                       Kind::PaddedTransposed, Kind::RowBroadcast, Kind::Interleaved};

struct Dims3 {
    int64_t m, n, k;
};
const Dims3 kShapes[] = {{1, 1, 1}, {1, 5, 3}, {4, 1, 3},    {3, 4, 1},   {2, 3, 5},
                         {7, 6, 9}, {1, 1, 8}, {17, 33, 16}, {64, 32, 48}};

template <class T>
void run_all(T tol) {
    for (const Dims3& s : kShapes) {
        for (Kind ka : kKinds) {
            for (Kind kb : kKinds) {
                check_case<T>(1, s.m, s.n, s.k, ka, kb, false, false, 0, tol);
                check_case<T>(3, s.m, s.n, s.k, ka, kb, false, false, 2, tol);
                check_case<T>(3, s.m, s.n, s.k, ka, kb, true, false, 0, tol);
                check_case<T>(3, s.m, s.n, s.k, ka, kb, false, true, 1, tol);
                if (::testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

TEST(GemmPlan, SgemmMatchesNaiveLoops) {
    run_all<float>(1e-5f);
}

TEST(GemmPlan, DgemmMatchesNaiveLoops) {
    run_all<double>(1e-13);
}

TEST(GemmPlan, OperandLayouts) {
    // row-major contiguous: no transpose, ld = row stride
    OperandLayout l = operand_layout(3, 4, 4, 1);
    EXPECT_TRUE(l.usable);
    EXPECT_FALSE(l.trans);
    EXPECT_EQ(l.ld, 4);
    // a transposed view (column-major storage) is a BLAS transpose, ld = column stride
    l = operand_layout(3, 4, 1, 3);
    EXPECT_TRUE(l.usable);
    EXPECT_TRUE(l.trans);
    EXPECT_EQ(l.ld, 3);
    // padded rows keep their stride as ld
    l = operand_layout(3, 4, 10, 1);
    EXPECT_TRUE(l.usable && !l.trans);
    EXPECT_EQ(l.ld, 10);
    // an expanded (stride 0) or doubly strided view has no BLAS layout
    EXPECT_FALSE(operand_layout(3, 4, 0, 1).usable);
    EXPECT_FALSE(operand_layout(3, 4, 8, 2).usable);
    // single rows and columns accept any stride along their one dim
    l = operand_layout(1, 4, 123, 1);
    EXPECT_TRUE(l.usable);
    EXPECT_EQ(l.ld, 4);
    l = operand_layout(4, 1, 1, 77);  // a column: row-major [4, 1] with unit row stride
    EXPECT_TRUE(l.usable && !l.trans);
    EXPECT_EQ(l.ld, 1);
}

}  // namespace
}  // namespace lm::kernels
