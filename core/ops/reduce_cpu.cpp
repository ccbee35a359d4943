// CPU reductions. Float sums accumulate in double; long reductions are cut into fixed blocks
// (kReduceBlock) whose partials are combined in order, independent of the thread count.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/base/parallel.h"
#include "core/ops/dispatch.h"
#include "core/ops/reduce_backend.h"

namespace lm::cpu {

namespace {

inline constexpr int64_t kReduceBlock = 16384;

template <class T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

template <class T>
Acc<T> sum_contiguous(const T* x, int64_t n) {
    Acc<T> s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < n; ++i)
        s += static_cast<Acc<T>>(x[i]);
    return s;
}

// A row's sum is the ordered sum of its fixed blocks, however the work is spread over threads.
template <class T>
Acc<T> sum_row_blocked(const T* row, int64_t n) {
    Acc<T> s = 0;
    for (int64_t b = 0; b < n; b += kReduceBlock)
        s += sum_contiguous(row + b, std::min(kReduceBlock, n - b));
    return s;
}

template <class T>
void sum_rows_typed(T* out, const T* x, int64_t outer, int64_t inner) {
    if (outer >= num_threads() || inner <= kReduceBlock) {
        parallel_for(0, outer, std::max<int64_t>(1, kReduceBlock / std::max<int64_t>(inner, 1)),
                     [&](int64_t b, int64_t e) {
                         for (int64_t o = b; o < e; ++o) {
                             out[o] = static_cast<T>(sum_row_blocked(x + o * inner, inner));
                         }
                     });
        return;
    }
    for (int64_t o = 0; o < outer; ++o) {  // few long rows: the blocks of a row in parallel
        const T* row = x + o * inner;
        const Acc<T> s = parallel_reduce_blocks<Acc<T>>(
            inner, kReduceBlock, Acc<T>(0),
            [&](int64_t b, int64_t e) { return sum_contiguous(row + b, e - b); },
            [](Acc<T> a, Acc<T> b) { return a + b; });
        out[o] = static_cast<T>(s);
    }
}

// Rows of at least kReduceBlock columns, where the blocked path below would take one row per
// block: every column summed over the rows in order (the same order), but split over column
// ranges, so there is no partial buffer and no serial combine pass.
template <class T>
void sum_wide_cols(T* out, const T* x, int64_t rows, int64_t cols) {
    constexpr int64_t kColBlock = 1024;
    parallel_for(0, (cols + kColBlock - 1) / kColBlock, 1, [&](int64_t b0, int64_t b1) {
        Acc<T> acc[kColBlock];
        for (int64_t b = b0; b < b1; ++b) {
            const int64_t c0 = b * kColBlock, n = std::min(kColBlock, cols - c0);
            std::fill(acc, acc + n, Acc<T>(0));
            for (int64_t r = 0; r < rows; ++r) {
                const T* row = x + r * cols + c0;
#pragma omp simd
                for (int64_t c = 0; c < n; ++c)
                    acc[c] += static_cast<Acc<T>>(row[c]);
            }
            for (int64_t c = 0; c < n; ++c)
                out[c0 + c] = static_cast<T>(acc[c]);
        }
    });
}

template <class T>
void sum_cols_typed(T* out, const T* x, int64_t rows, int64_t cols) {
    if (cols >= kReduceBlock) return sum_wide_cols(out, x, rows, cols);
    // Partial column sums over fixed row blocks, combined in block order.
    const int64_t block_rows = std::max<int64_t>(1, kReduceBlock / std::max<int64_t>(cols, 1));
    const int64_t blocks = (rows + block_rows - 1) / block_rows;
    std::vector<Acc<T>> partial(static_cast<size_t>(blocks * cols), Acc<T>(0));
    parallel_for(0, blocks, 1, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            Acc<T>* acc = partial.data() + b * cols;
            const int64_t r1 = std::min(rows, (b + 1) * block_rows);
            for (int64_t r = b * block_rows; r < r1; ++r) {
                const T* row = x + r * cols;
#pragma omp simd
                for (int64_t c = 0; c < cols; ++c)
                    acc[c] += static_cast<Acc<T>>(row[c]);
            }
        }
    });
    for (int64_t c = 0; c < cols; ++c) {
        Acc<T> s = 0;
        for (int64_t b = 0; b < blocks; ++b)
            s += partial[b * cols + c];
        out[c] = static_cast<T>(s);
    }
}

template <class T>
void extremum_rows_typed(
    T* values, int64_t* indices, const T* x, int64_t outer, int64_t inner, bool is_min) {
    parallel_for(0, outer, std::max<int64_t>(1, kReduceBlock / inner), [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) {
            const T* row = x + o * inner;
            T best = row[0];
            int64_t at = 0;
            for (int64_t i = 1; i < inner; ++i) {
                if constexpr (std::is_floating_point_v<T>) {
                    if (std::isnan(best)) break;
                    if (std::isnan(row[i])) {
                        best = row[i];
                        at = i;
                        break;
                    }
                }
                if (is_min ? row[i] < best : row[i] > best) {
                    best = row[i];
                    at = i;
                }
            }
            values[o] = best;
            indices[o] = at;
        }
    });
}

}  // namespace

void sum_rows(const Tensor& out, const Tensor& x, int64_t outer, int64_t inner) {
    dispatch_numeric(x.dtype(), "sum", [&](auto tag) {
        using T = decltype(tag);
        sum_rows_typed<T>(out.data<T>(), x.data<T>(), outer, inner);
    });
}

void sum_cols(const Tensor& out, const Tensor& x, int64_t rows, int64_t cols) {
    dispatch_numeric(x.dtype(), "sum", [&](auto tag) {
        using T = decltype(tag);
        sum_cols_typed<T>(out.data<T>(), x.data<T>(), rows, cols);
    });
}

void extremum_rows(const Tensor& values,
                   const Tensor& indices,
                   const Tensor& x,
                   int64_t outer,
                   int64_t inner,
                   bool is_min) {
    dispatch_numeric(x.dtype(), "max", [&](auto tag) {
        using T = decltype(tag);
        extremum_rows_typed<T>(values.data<T>(), indices.data<int64_t>(), x.data<T>(), outer, inner,
                               is_min);
    });
}

}  // namespace lm::cpu
