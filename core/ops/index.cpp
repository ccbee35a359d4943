#include "core/ops/index.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/index_backend.h"

namespace lm::ops {

namespace {

void check_index(const Tensor& index, int64_t n, const char* op) {
    LM_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32, op,
             ": indices must be int32 or int64, got ", dtype_name(index.dtype()));
    const int64_t bad = LM_DISPATCH_DEVICE(index.device(), first_bad_index, contiguous(index), n);
    LM_CHECK(bad < 0, op, ": index ", bad, " is out of range for a dimension of size ", n);
}

struct Around {
    int64_t outer = 1, inner = 1;
};

Around around(const Shape& shape, int dim) {
    Around a;
    for (int d = 0; d < dim; ++d)
        a.outer *= shape[d];
    for (int d = dim + 1; d < shape.size(); ++d)
        a.inner *= shape[d];
    return a;
}

}  // namespace

Tensor index_select(const Tensor& x, int64_t dim_in, const Tensor& index) {
    const int dim = normalize_dim(dim_in, x.dim(), "index_select");
    LM_CHECK(index.dim() <= 1, "index_select: the index must be 0-d or 1-d, got ",
             index.shape().str());
    check_same_device(x, index, "index_select");
    check_index(index, x.size(dim), "index_select");
    Shape shape = x.shape();
    shape[dim] = index.numel();
    Tensor out = empty(shape, x.dtype(), x.device());
    const Around a = around(x.shape(), dim);
    LM_DISPATCH_DEVICE(x.device(), index_select, out, contiguous(x), contiguous(index), a.outer,
                       x.size(dim), a.inner);
    return out;
}

Tensor index_add(const Shape& shape, int64_t dim_in, const Tensor& index, const Tensor& src) {
    const int dim = normalize_dim(dim_in, shape.size(), "index_add");
    check_index(index, shape[dim], "index_add");
    Tensor out = empty(shape, src.dtype(), src.device());
    fill(out, 0.0);
    const Around a = around(shape, dim);
    LM_DISPATCH_DEVICE(src.device(), index_add, out, contiguous(src), contiguous(index), a.outer,
                       shape[dim], a.inner);
    return out;
}

Tensor scatter_rows(const Tensor& src, const Tensor& rows, int64_t M) {
    LM_CHECK(src.dim() == 2 && rows.dim() == 1 && rows.numel() == src.size(0) &&
                 rows.dtype() == DType::Int64,
             "scatter_rows: expected src [R, C] and int64 rows [R], got ", src.shape().str(),
             " and ", rows.shape().str());
    if (!src.device().is_cpu()) return index_add({M, src.size(1)}, 0, rows, src);
    check_index(rows, M, "scatter_rows");
    Tensor out = empty({M, src.size(1)}, src.dtype(), src.device());
    cpu::scatter_rows(out, contiguous(src), contiguous(rows));
    return out;
}

Tensor gather(const Tensor& x, int64_t dim_in, const Tensor& index) {
    const int dim = normalize_dim(dim_in, x.dim(), "gather");
    LM_CHECK(index.dim() == x.dim(), "gather: index has ", index.dim(), " dims, x has ", x.dim());
    for (int d = 0; d < x.dim(); ++d) {
        LM_CHECK(d == dim || index.size(d) == x.size(d), "gather: index shape ",
                 index.shape().str(), " must match x shape ", x.shape().str(), " except at dim ",
                 dim);
    }
    check_same_device(x, index, "gather");
    check_index(index, x.size(dim), "gather");
    Tensor out = empty(index.shape(), x.dtype(), x.device());
    const Around a = around(x.shape(), dim);
    LM_DISPATCH_DEVICE(x.device(), gather, out, contiguous(x), contiguous(index), a.outer,
                       x.size(dim), a.inner);
    return out;
}

Tensor scatter_add(const Shape& shape, int64_t dim_in, const Tensor& index, const Tensor& src) {
    const int dim = normalize_dim(dim_in, shape.size(), "scatter_add");
    check_index(index, shape[dim], "scatter_add");
    Tensor out = empty(shape, src.dtype(), src.device());
    fill(out, 0.0);
    const Around a = around(shape, dim);
    LM_DISPATCH_DEVICE(src.device(), scatter_add, out, contiguous(src), contiguous(index), a.outer,
                       shape[dim], a.inner);
    return out;
}

}  // namespace lm::ops
