#include "core/ops/reduce.h"

#include <algorithm>

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce_backend.h"

namespace lm::ops {

Dims normalize_reduce_dims(const Dims& dims, int ndim, const char* op) {
    Dims out;
    if (dims.empty()) {
        for (int d = 0; d < ndim; ++d)
            out.push_back(d);
        return out;
    }
    std::vector<int64_t> v;
    for (int64_t d : dims)
        v.push_back(normalize_dim(d, ndim, op));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    if (ndim == 0) v.clear();  // dim 0 / -1 of a scalar reduces nothing
    return Dims(v);
}

namespace {

Shape reduced_shape(const Shape& shape, const Dims& dims, bool keepdim) {
    Shape out;
    for (int d = 0, k = 0; d < shape.size(); ++d) {
        const bool reduced = k < dims.size() && dims[k] == d;
        if (reduced) ++k;
        if (!reduced)
            out.push_back(shape[d]);
        else if (keepdim)
            out.push_back(1);
    }
    return out;
}

// Kept dims in order, then reduced dims: the permutation that makes the reduction trailing.
Dims kept_then_reduced(int ndim, const Dims& dims) {
    Dims order;
    for (int d = 0, k = 0; d < ndim; ++d) {
        if (k < dims.size() && dims[k] == d) {
            ++k;
        } else {
            order.push_back(d);
        }
    }
    for (int64_t d : dims)
        order.push_back(d);
    return order;
}

bool dims_are_prefix(const Dims& dims) {
    for (int i = 0; i < dims.size(); ++i) {
        if (dims[i] != i) return false;
    }
    return true;
}

bool dims_are_suffix(const Dims& dims, int ndim) {
    for (int i = 0; i < dims.size(); ++i) {
        if (dims[i] != ndim - dims.size() + i) return false;
    }
    return true;
}

}  // namespace

Tensor sum(const Tensor& x, const Dims& dims_in, bool keepdim) {
    const Dims dims = normalize_reduce_dims(dims_in, x.dim(), "sum");
    const Shape out_shape = reduced_shape(x.shape(), dims, keepdim);
    Tensor out = empty(out_shape, x.dtype(), x.device());
    int64_t reduce_n = 1;
    for (int64_t d : dims)
        reduce_n *= x.size(d);
    const int64_t keep_n = x.numel() / std::max<int64_t>(reduce_n, 1);
    if (x.numel() == 0) {
        fill(out, 0.0);
    } else if (x.is_contiguous() && dims_are_prefix(dims) && !dims.empty()) {
        LM_DISPATCH_DEVICE(x.device(), sum_cols, out, x, reduce_n, keep_n);
    } else if (x.is_contiguous() && dims_are_suffix(dims, x.dim())) {
        LM_DISPATCH_DEVICE(x.device(), sum_rows, out, x, keep_n, reduce_n);
    } else {
        const Tensor t = contiguous(x.detach().permute(kept_then_reduced(x.dim(), dims)));
        LM_DISPATCH_DEVICE(x.device(), sum_rows, out, t, keep_n, reduce_n);
    }
    return out;
}

Tensor mean(const Tensor& x, const Dims& dims_in, bool keepdim) {
    check_floating(x, "mean");
    const Dims dims = normalize_reduce_dims(dims_in, x.dim(), "mean");
    int64_t n = 1;
    for (int64_t d : dims)
        n *= x.size(d);
    return unary(UnaryOp::Affine, sum(x, dims, keepdim), 1.0 / static_cast<double>(n), 0.0);
}

namespace {
std::pair<Tensor, Tensor> extremum(const Tensor& x, int64_t dim_in, bool keepdim, bool is_min) {
    const char* op = is_min ? "min" : "max";
    const int dim = normalize_dim(dim_in, x.dim(), op);
    LM_CHECK(x.dim() == 0 || x.size(dim) > 0, op, ": cannot reduce an empty dim");
    const Dims dims = x.dim() == 0 ? Dims{} : Dims{dim};
    const Shape out_shape = reduced_shape(x.shape(), dims, keepdim);
    Tensor values = empty(out_shape, x.dtype(), x.device());
    Tensor indices = empty(out_shape, DType::Int64, x.device());
    const int64_t inner = x.dim() == 0 ? 1 : x.size(dim);
    const Tensor t = contiguous(x.detach().permute(kept_then_reduced(x.dim(), dims)));
    LM_DISPATCH_DEVICE(x.device(), extremum_rows, values, indices, t, x.numel() / inner, inner,
                       is_min);
    return {values, indices};
}
}  // namespace

std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
    return extremum(x, dim, keepdim, false);
}

std::pair<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
    return extremum(x, dim, keepdim, true);
}

Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
    return max(x, dim, keepdim).second;
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
    const int lead = x.dim() - shape.size();
    LM_ASSERT(lead >= 0, "sum_to ", x.shape().str(), " -> ", shape.str());
    Dims dims;
    for (int d = 0; d < x.dim(); ++d) {
        if (d < lead || (shape[d - lead] == 1 && x.size(d) != 1)) dims.push_back(d);
    }
    if (dims.empty()) return x.shape() == shape ? x : contiguous(x).detach().view(shape);
    Tensor s = sum(x, dims, true);
    return s.detach().view(shape);
}

}  // namespace lm::ops
