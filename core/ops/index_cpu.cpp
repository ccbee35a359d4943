// CPU indexing kernels. Accumulating kernels (index_add, scatter_add) give every output element
// to one thread and add its contributions in source order: deterministic for any thread count.
#include <cstring>
#include <vector>

#include "core/base/parallel.h"
#include "core/ops/dispatch.h"
#include "core/ops/index_backend.h"

namespace lm::cpu {

namespace {

template <class F>
void dispatch_index(const Tensor& index, const F& f) {
    if (index.dtype() == DType::Int64) {
        f(index.data<int64_t>());
    } else {
        f(index.data<int32_t>());
    }
}

}  // namespace

int64_t first_bad_index(const Tensor& index, int64_t n) {
    int64_t bad = -1;
    dispatch_index(index, [&](const auto* idx) {
        for (int64_t i = 0; i < index.numel(); ++i) {
            if (idx[i] < 0 || idx[i] >= n) {
                bad = idx[i];
                return;
            }
        }
    });
    return bad;
}

void index_select(const Tensor& out,
                  const Tensor& x,
                  const Tensor& index,
                  int64_t outer,
                  int64_t n,
                  int64_t inner) {
    const int64_t k = index.numel();
    const size_t esize = dtype_size(x.dtype());
    const char* src = static_cast<const char*>(x.raw_data());
    char* dst = static_cast<char*>(out.raw_data());
    dispatch_index(index, [&](const auto* idx) {
        parallel_for(0, outer * k, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)),
                     [&](int64_t b, int64_t e) {
                         for (int64_t r = b; r < e; ++r) {
                             const int64_t o = r / k, j = r % k;
                             std::memcpy(dst + r * inner * esize,
                                         src + (o * n + idx[j]) * inner * esize, inner * esize);
                         }
                     });
    });
}

void index_add(const Tensor& out,
               const Tensor& src,
               const Tensor& index,
               int64_t outer,
               int64_t n,
               int64_t inner) {
    const int64_t k = index.numel();
    dispatch_floating(src.dtype(), "index_add", [&](auto tag) {
        using T = decltype(tag);
        T* o = out.data<T>();
        const T* s = src.data<T>();
        dispatch_index(index, [&](const auto* idx) {
            // Parallel over (outer, column block) so each output element has a single writer.
            const int64_t col_block = 64;
            const int64_t col_blocks = (inner + col_block - 1) / col_block;
            parallel_for(0, outer * col_blocks, 1, [&](int64_t b, int64_t e) {
                for (int64_t t = b; t < e; ++t) {
                    const int64_t ou = t / col_blocks, c0 = (t % col_blocks) * col_block;
                    const int64_t c1 = std::min(inner, c0 + col_block);
                    for (int64_t j = 0; j < k; ++j) {
                        T* orow = o + (ou * n + idx[j]) * inner;
                        const T* srow = s + (ou * k + j) * inner;
                        for (int64_t c = c0; c < c1; ++c)
                            orow[c] += srow[c];
                    }
                }
            });
        });
    });
}

void scatter_rows(const Tensor& out, const Tensor& src, const Tensor& rows) {
    const int64_t M = out.size(0), C = out.size(1), R = rows.numel();
    const int64_t* idx = rows.data<int64_t>();
    const size_t row_bytes = static_cast<size_t>(C) * dtype_size(out.dtype());
    auto* o = static_cast<char*>(out.raw_data());
    const auto* s = static_cast<const char*>(src.raw_data());
    // Output rows in parallel: each is the source row that lands there, or zeros. `at[r]` is
    // the source of output row r (-1: none); rows are distinct, so every row has one writer.
    std::vector<int64_t> at(static_cast<size_t>(M), -1);
    for (int64_t i = 0; i < R; ++i) {
        LM_CHECK(at[idx[i]] < 0, "scatter_rows: row ", idx[i], " given twice");
        at[idx[i]] = i;
    }
    parallel_for(0, M, std::max<int64_t>(1, 8192 / std::max<int64_t>(C, 1)),
                 [&](int64_t b, int64_t e) {
                     for (int64_t r = b; r < e; ++r) {
                         if (at[r] < 0)
                             std::memset(o + r * row_bytes, 0, row_bytes);
                         else
                             std::memcpy(o + r * row_bytes, s + at[r] * row_bytes, row_bytes);
                     }
                 });
}

void gather(const Tensor& out,
            const Tensor& x,
            const Tensor& index,
            int64_t outer,
            int64_t n,
            int64_t inner) {
    const int64_t k = index.numel() / std::max<int64_t>(outer * inner, 1);
    dispatch_all(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* o = static_cast<T*>(out.raw_data());
        const T* s = static_cast<const T*>(x.raw_data());
        dispatch_index(index, [&](const auto* idx) {
            parallel_for(0, outer * k, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)),
                         [&](int64_t b, int64_t e) {
                             for (int64_t r = b; r < e; ++r) {
                                 const int64_t ou = r / k;
                                 for (int64_t c = 0; c < inner; ++c) {
                                     o[r * inner + c] =
                                         s[(ou * n + idx[r * inner + c]) * inner + c];
                                 }
                             }
                         });
        });
    });
}

void scatter_add(const Tensor& out,
                 const Tensor& src,
                 const Tensor& index,
                 int64_t outer,
                 int64_t n,
                 int64_t inner) {
    const int64_t k = index.numel() / std::max<int64_t>(outer * inner, 1);
    dispatch_floating(src.dtype(), "scatter_add", [&](auto tag) {
        using T = decltype(tag);
        T* o = out.data<T>();
        const T* s = src.data<T>();
        dispatch_index(index, [&](const auto* idx) {
            parallel_for(0, outer, 1, [&](int64_t b, int64_t e) {  // one writer per outer slice
                for (int64_t ou = b; ou < e; ++ou) {
                    for (int64_t j = 0; j < k; ++j) {
                        const int64_t r = ou * k + j;
                        for (int64_t c = 0; c < inner; ++c) {
                            o[(ou * n + idx[r * inner + c]) * inner + c] += s[r * inner + c];
                        }
                    }
                }
            });
        });
    });
}

}  // namespace lm::cpu
