// Reductions and their gradients: a sum's gradient is the upstream gradient broadcast back over
// the reduced dims; a max's gradient goes to the position of the maximum.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/index.h"
#include "core/ops/reduce.h"

namespace lm {

namespace {

// dy of a reduction, reshaped with the reduced dims kept as size 1 and expanded to `shape`.
Tensor expand_reduced(const Tensor& dy, const Shape& shape, const Dims& dims, bool keepdim) {
    Shape kept = shape;
    for (int64_t d : dims)
        kept[d] = 1;
    Tensor g = keepdim ? dy : ops::contiguous(dy).detach().view(kept);
    return ops::contiguous(g.expand(shape));
}

}  // namespace

Tensor sum(const Tensor& x, const Dims& dims_in, bool keepdim) {
    const Dims dims = ops::normalize_reduce_dims(dims_in, x.dim(), "sum");
    Tensor y = ops::sum(x, dims, keepdim);
    const Shape shape = x.shape();
    record("SumBackward", {&x}, y, [shape, dims, keepdim](const Tensor& dy) {
        return std::vector<Tensor>{expand_reduced(dy, shape, dims, keepdim)};
    });
    return y;
}

Tensor mean(const Tensor& x, const Dims& dims_in, bool keepdim) {
    const Dims dims = ops::normalize_reduce_dims(dims_in, x.dim(), "mean");
    Tensor y = ops::mean(x, dims, keepdim);
    const Shape shape = x.shape();
    int64_t n = 1;
    for (int64_t d : dims)
        n *= shape[d];
    record("MeanBackward", {&x}, y, [shape, dims, keepdim, n](const Tensor& dy) {
        Tensor g = expand_reduced(dy, shape, dims, keepdim);  // dx = dy / n
        return std::vector<Tensor>{ops::unary(ops::UnaryOp::Affine, g, 1.0 / n, 0.0)};
    });
    return y;
}

namespace {
std::pair<Tensor, Tensor> extremum(const Tensor& x, int64_t dim_in, bool keepdim, bool is_min) {
    const int dim = normalize_dim(dim_in, x.dim(), is_min ? "min" : "max");
    auto [values, indices] = is_min ? ops::min(x, dim, keepdim) : ops::max(x, dim, keepdim);
    const Shape shape = x.shape();
    SavedTensor idx = indices;
    record(is_min ? "MinBackward" : "MaxBackward", {&x}, values,
           [shape, dim, keepdim, idx](const Tensor& dy) {
               if (shape.size() == 0) return std::vector<Tensor>{dy};
               Tensor g = keepdim ? dy : ops::contiguous(dy).detach().unsqueeze(dim);
               Tensor i = keepdim ? idx.get() : idx.get().unsqueeze(dim);
               return std::vector<Tensor>{ops::scatter_add(shape, dim, i, g)};
           });
    return {values, indices};
}
}  // namespace

std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
    return extremum(x, dim, keepdim, false);
}

std::pair<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
    return extremum(x, dim, keepdim, true);
}

Tensor max(const Tensor& x) {
    return max(x.reshape({-1}), 0).first;
}

Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
    return ops::argmax(x, dim, keepdim);
}

Tensor Tensor::sum(const Dims& dims, bool keepdim) const {
    return lm::sum(*this, dims, keepdim);
}
Tensor Tensor::mean(const Dims& dims, bool keepdim) const {
    return lm::mean(*this, dims, keepdim);
}

}  // namespace lm
