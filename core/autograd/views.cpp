// Views (no data copied) and copies, with their backward: a view's gradient is the inverse
// view of the incoming gradient (or, for slices, the gradient placed into zeros).
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"

namespace lm {

namespace {

// Replaces one -1 entry by the size that keeps numel; checks the total.
Shape infer_shape(const Shape& shape, int64_t numel, const char* op) {
    Shape out = shape;
    int infer = -1;
    int64_t known = 1;
    for (int i = 0; i < out.size(); ++i) {
        if (out[i] == -1) {
            LM_CHECK(infer < 0, op, ": only one dimension can be -1 in ", shape.str());
            infer = i;
        } else {
            LM_CHECK(out[i] >= 0, op, ": invalid size in ", shape.str());
            known *= out[i];
        }
    }
    if (infer >= 0) {
        LM_CHECK(known > 0 && numel % known == 0, op, ": shape ", shape.str(),
                 " is invalid for a tensor of ", numel, " elements");
        out[infer] = numel / known;
    }
    LM_CHECK(out.numel() == numel, op, ": shape ", shape.str(), " is invalid for a tensor of ",
             numel, " elements");
    return out;
}

// Strides for viewing (shape, strides) as new_shape without a copy, if possible. Old dims are
// grouped into chunks that are contiguous among themselves; every chunk must map onto a run of
// new dims of the same element count, which then get strides inside that chunk.
bool view_strides(const Shape& shape,
                  const Strides& strides,
                  const Shape& new_shape,
                  Strides* out) {
    *out = Dims::filled(new_shape.size(), 1);
    if (shape.numel() == 0 || shape.size() == 0) {
        *out = contiguous_strides(new_shape);
        return true;
    }
    int view_d = new_shape.size() - 1;
    int64_t chunk_stride = strides.back();
    int64_t chunk_numel = 1, view_numel = 1;
    for (int d = shape.size() - 1; d >= 0; --d) {
        chunk_numel *= shape[d];
        const bool chunk_ends =
            d == 0 || (shape[d - 1] != 1 && strides[d - 1] != chunk_numel * chunk_stride);
        if (!chunk_ends) continue;
        while (view_d >= 0 && (view_numel < chunk_numel || new_shape[view_d] == 1)) {
            (*out)[view_d] = view_numel * chunk_stride;
            view_numel *= new_shape[view_d];
            --view_d;
        }
        if (view_numel != chunk_numel) return false;
        if (d > 0) {
            chunk_stride = strides[d - 1];
            chunk_numel = 1;
            view_numel = 1;
        }
    }
    return view_d == -1;
}

Tensor make_view(const Tensor& x, const Shape& shape, const Strides& strides, int64_t offset) {
    return as_strided(x, shape, strides, offset);
}

}  // namespace

Tensor Tensor::view(const Shape& shape_in) const {
    const Shape shape = infer_shape(shape_in, numel(), "view");
    Strides st;
    LM_CHECK(view_strides(this->shape(), strides(), shape, &st), "view: a tensor of shape ",
             this->shape().str(), " and strides ", strides().str(), " cannot be viewed as ",
             shape.str(), "; use reshape()");
    Tensor out = make_view(*this, shape, st, offset());
    const Shape in_shape = this->shape();
    record("ViewBackward", {this}, out,
           [in_shape](const Tensor& dy) { return std::vector<Tensor>{dy.reshape(in_shape)}; });
    return out;
}

Tensor Tensor::reshape(const Shape& shape_in) const {
    const Shape shape = infer_shape(shape_in, numel(), "reshape");
    Strides st;
    if (view_strides(this->shape(), strides(), shape, &st)) return view(shape);
    return contiguous().view(shape);
}

Tensor Tensor::transpose(int64_t d0_in, int64_t d1_in) const {
    const int d0 = normalize_dim(d0_in, dim(), "transpose"),
              d1 = normalize_dim(d1_in, dim(), "transpose");
    if (dim() == 0) return *this;
    Shape shape = this->shape();
    Strides st = strides();
    std::swap(shape[d0], shape[d1]);
    std::swap(st[d0], st[d1]);
    Tensor out = make_view(*this, shape, st, offset());
    record("TransposeBackward", {this}, out,
           [d0, d1](const Tensor& dy) { return std::vector<Tensor>{dy.transpose(d0, d1)}; });
    return out;
}

Tensor Tensor::permute(const Dims& order) const {
    LM_CHECK(order.size() == dim(), "permute: ", order.size(), " dims given for a tensor with ",
             dim(), " dims");
    Shape shape;
    Strides st;
    Dims inverse = Dims::filled(dim(), -1);
    for (int i = 0; i < order.size(); ++i) {
        const int d = normalize_dim(order[i], dim(), "permute");
        LM_CHECK(inverse[d] == -1, "permute: dim ", d, " repeated in ", order.str());
        inverse[d] = i;
        shape.push_back(this->shape()[d]);
        st.push_back(strides()[d]);
    }
    Tensor out = make_view(*this, shape, st, offset());
    record("PermuteBackward", {this}, out,
           [inverse](const Tensor& dy) { return std::vector<Tensor>{dy.permute(inverse)}; });
    return out;
}

Tensor Tensor::slice(int64_t dim_in, int64_t start, int64_t end, int64_t step) const {
    const int d = normalize_dim(dim_in, dim(), "slice");
    LM_CHECK(step > 0, "slice: step must be positive, got ", step);
    const int64_t n = shape()[d];
    auto clampi = [n](int64_t i) { return std::min(std::max<int64_t>(i < 0 ? i + n : i, 0), n); };
    start = clampi(start);
    end = std::max(clampi(end), start);
    Shape shape = this->shape();
    Strides st = strides();
    shape[d] = (end - start + step - 1) / step;
    st[d] = strides()[d] * step;
    Tensor out = make_view(*this, shape, st, offset() + start * strides()[d]);
    const Shape in_shape = this->shape();
    record("SliceBackward", {this}, out, [in_shape, d, start, end, step](const Tensor& dy) {
        Tensor dx = zeros(in_shape, {dy.dtype(), dy.device()});
        ops::copy_into(dx.slice(d, start, end, step), dy);
        return std::vector<Tensor>{dx};
    });
    return out;
}

Tensor Tensor::select(int64_t dim_in, int64_t index) const {
    const int d = normalize_dim(dim_in, dim(), "select");
    const int64_t n = shape()[d];
    LM_CHECK(index >= -n && index < n, "select: index ", index, " is out of range for dim ", d,
             " of size ", n);
    if (index < 0) index += n;
    return slice(d, index, index + 1).squeeze(d);
}

Tensor Tensor::narrow(int64_t dim_in, int64_t start, int64_t length) const {
    const int d = normalize_dim(dim_in, dim(), "narrow");
    LM_CHECK(start >= 0 && length >= 0 && start + length <= shape()[d], "narrow: [", start, ", ",
             start + length, ") is out of range for dim ", d, " of size ", shape()[d]);
    return slice(d, start, start + length);
}

Tensor Tensor::expand(const Shape& shape_in) const {
    LM_CHECK(shape_in.size() >= dim(), "expand: cannot expand ", shape().str(), " to ",
             shape_in.str());
    const int lead = shape_in.size() - dim();
    Shape shape = shape_in;
    Strides st = Dims::filled(shape.size(), 0);
    for (int i = 0; i < shape.size(); ++i) {
        if (i < lead) {
            LM_CHECK(shape[i] >= 0, "expand: invalid size in ", shape_in.str());
            continue;
        }
        const int64_t cur = this->shape()[i - lead];
        if (shape[i] == -1) shape[i] = cur;
        LM_CHECK(cur == shape[i] || cur == 1, "expand: cannot expand ", this->shape().str(), " to ",
                 shape_in.str(), " (dim ", i, ")");
        st[i] = cur == shape[i] ? strides()[i - lead] : 0;
    }
    Tensor out = make_view(*this, shape, st, offset());
    // The engine sums the expanded gradient back to the input shape.
    record("ExpandBackward", {this}, out, [](const Tensor& dy) { return std::vector<Tensor>{dy}; });
    return out;
}

Tensor Tensor::unsqueeze(int64_t dim_in) const {
    const int d = normalize_dim(dim_in, dim() + 1, "unsqueeze");
    Shape shape = this->shape();
    shape.insert(d, 1);
    return view(shape);
}

Tensor Tensor::squeeze(int64_t dim_in) const {
    const int d = normalize_dim(dim_in, dim(), "squeeze");
    if (dim() == 0 || shape()[d] != 1) return *this;
    Shape shape = this->shape();
    shape.erase(d);
    Strides st = strides();
    st.erase(d);
    Tensor out = make_view(*this, shape, st, offset());
    const Shape in_shape = this->shape();
    record("SqueezeBackward", {this}, out,
           [in_shape](const Tensor& dy) { return std::vector<Tensor>{dy.reshape(in_shape)}; });
    return out;
}

Tensor Tensor::flatten(int64_t start_in, int64_t end_in) const {
    if (dim() == 0) return reshape({1});
    const int s = normalize_dim(start_in, dim(), "flatten"),
              e = normalize_dim(end_in, dim(), "flatten");
    Shape shape;
    for (int i = 0; i < s; ++i)
        shape.push_back(this->shape()[i]);
    int64_t n = 1;
    for (int i = s; i <= e; ++i)
        n *= this->shape()[i];
    shape.push_back(n);
    for (int i = e + 1; i < dim(); ++i)
        shape.push_back(this->shape()[i]);
    return reshape(shape);
}

Tensor Tensor::contiguous() const {
    if (is_contiguous()) return *this;
    return clone();
}

Tensor Tensor::clone() const {
    Tensor out = empty(shape(), dtype(), device());
    ops::copy_into(out, *this);
    record("CloneBackward", {this}, out, [](const Tensor& dy) { return std::vector<Tensor>{dy}; });
    return out;
}

Tensor Tensor::to(DType target) const {
    if (target == dtype()) return *this;
    Tensor out = ops::cast(*this, target);
    if (is_floating(target)) {
        const DType src = dtype();
        record("ToDTypeBackward", {this}, out,
               [src](const Tensor& dy) { return std::vector<Tensor>{ops::cast(dy, src)}; });
    }
    return out;
}

Tensor Tensor::to(Device target) const {
    if (target == device()) return *this;
    Tensor out = empty(shape(), dtype(), target);
    ops::copy_into(out, ops::contiguous(*this));
    const Device src = device();
    record("ToDeviceBackward", {this}, out, [src](const Tensor& dy) {
        Tensor dx = empty(dy.shape(), dy.dtype(), src);
        ops::copy_into(dx, ops::contiguous(dy));
        return std::vector<Tensor>{dx};
    });
    return out;
}

}  // namespace lm
