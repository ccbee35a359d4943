// Joining, splitting, padding and indexing, with their gradients.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/index.h"
#include "core/ops/reduce.h"

namespace lm {

Tensor concat(const std::vector<Tensor>& xs, int64_t dim_in) {
    LM_CHECK(!xs.empty(), "concat: no tensors given");
    const Tensor& first = xs[0];
    const int dim = normalize_dim(dim_in, first.dim(), "concat");
    Shape shape = first.shape();
    int64_t total = 0;
    std::vector<int64_t> sizes;
    for (const Tensor& x : xs) {
        LM_CHECK(x.dim() == first.dim(), "concat: tensor of shape ", x.shape().str(),
                 " does not match ", first.shape().str());
        for (int d = 0; d < x.dim(); ++d) {
            LM_CHECK(d == dim || x.size(d) == first.size(d), "concat: shapes ", x.shape().str(),
                     " and ", first.shape().str(), " differ outside dim ", dim);
        }
        check_same_device(x, first, "concat");
        check_same_dtype(x, first, "concat");
        sizes.push_back(x.size(dim));
        total += x.size(dim);
    }
    shape[dim] = total;
    Tensor out = empty(shape, first.dtype(), first.device());
    int64_t at = 0;
    for (const Tensor& x : xs) {
        ops::copy_into(out.detach().narrow(dim, at, x.size(dim)), x);
        at += x.size(dim);
    }
    std::vector<const Tensor*> inputs;
    for (const Tensor& x : xs)
        inputs.push_back(&x);
    record("ConcatBackward", inputs, out, [dim, sizes](const Tensor& dy) {
        std::vector<Tensor> grads;
        int64_t pos = 0;
        for (int64_t s : sizes) {
            grads.push_back(ops::contiguous(dy.detach().narrow(dim, pos, s)));
            pos += s;
        }
        return grads;
    });
    return out;
}

std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int64_t dim_in) {
    const int dim = normalize_dim(dim_in, x.dim(), "split");
    int64_t total = 0;
    for (int64_t s : sizes) {
        LM_CHECK(s >= 0, "split: negative size");
        total += s;
    }
    LM_CHECK(total == x.size(dim), "split: sizes add up to ", total, " but dim ", dim, " has size ",
             x.size(dim));
    std::vector<Tensor> out;
    int64_t at = 0;
    for (int64_t s : sizes) {
        out.push_back(x.narrow(dim, at, s));  // views; each records its own slice backward
        at += s;
    }
    return out;
}

// x [B, N, P*H*d] viewed as [B, N, P, H, d]; part p is its [:, :, p] transposed to [B, H, N, d].
std::vector<Tensor> split_heads(const Tensor& x, int64_t parts, int64_t heads) {
    LM_CHECK(x.dim() == 3, "split_heads: expected [B, N, parts * heads * head_dim], got ",
             x.shape().str());
    LM_CHECK(parts > 0 && heads > 0 && x.size(2) % (parts * heads) == 0, "split_heads: last dim ",
             x.size(2), " is not ", parts, " parts of ", heads, " heads");
    const int64_t B = x.size(0), N = x.size(1), d = x.size(2) / (parts * heads);
    // the part-p slice of a [B, N, P*H*d] tensor as a [B, H, N, d] view
    const auto part_view = [=](const Tensor& t, int64_t p) {
        return t.view({B, N, parts, heads, d}).select(2, p).transpose(1, 2);
    };
    const Tensor xc = ops::contiguous(x.detach());
    std::vector<Tensor> out;
    for (int64_t p = 0; p < parts; ++p) {
        out.push_back(empty({B, heads, N, d}, x.dtype(), x.device()));
        ops::copy_into(out.back(), part_view(xc, p));
    }
    std::vector<Tensor*> outputs;
    for (Tensor& t : out)
        outputs.push_back(&t);
    // the closure keeps the shape, dtype and device only, not the [B, N, P*H*d] input
    const Shape shape = x.shape();
    const DType dtype = x.dtype();
    const Device device = x.device();
    record_multi("SplitHeadsBackward", {&x}, outputs, [=](const std::vector<Tensor>& grads) {
        // every part's gradient into one buffer: the projection's dY, contiguous
        Tensor dx = empty(shape, grads[0].defined() ? grads[0].dtype() : dtype, device);
        for (int64_t p = 0; p < parts; ++p) {
            const Tensor slot = part_view(dx, p);
            if (grads[p].defined())
                ops::copy_into(slot, grads[p]);
            else
                ops::fill(slot, 0.0);
        }
        return std::vector<Tensor>{dx};
    });
    return out;
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim_in) {
    const int dim = normalize_dim(dim_in, x.dim(), "chunk");
    LM_CHECK(chunks > 0, "chunk: the number of chunks must be positive");
    const int64_t n = x.size(dim), each = (n + chunks - 1) / chunks;
    std::vector<int64_t> sizes;
    for (int64_t at = 0; at < n; at += each)
        sizes.push_back(std::min(each, n - at));
    return split(x, sizes, dim);
}

Tensor stack(const std::vector<Tensor>& xs, int64_t dim_in) {
    LM_CHECK(!xs.empty(), "stack: no tensors given");
    const int dim = normalize_dim(dim_in, xs[0].dim() + 1, "stack");
    std::vector<Tensor> parts;
    for (const Tensor& x : xs)
        parts.push_back(x.unsqueeze(dim));
    return concat(parts, dim);
}

Tensor index_select(const Tensor& x, int64_t dim_in, const Tensor& index) {
    const int dim = normalize_dim(dim_in, x.dim(), "index_select");
    Tensor out = ops::index_select(x, dim, index);
    SavedTensor si = index;
    const Shape shape = x.shape();
    record("IndexSelectBackward", {&x}, out, [si, shape, dim](const Tensor& dy) {
        return std::vector<Tensor>{ops::index_add(shape, dim, si.get(), dy)};
    });
    return out;
}

Tensor gather_rows(const Tensor& x, const Tensor& rows) {
    LM_CHECK(x.dim() == 2, "gather_rows: expected [M, C], got ", x.shape().str());
    Tensor out = ops::index_select(x, 0, rows);
    SavedTensor sr = rows;
    const int64_t M = x.size(0);
    record("GatherRowsBackward", {&x}, out, [sr, M](const Tensor& dy) {
        return std::vector<Tensor>{ops::scatter_rows(ops::contiguous(dy), sr.get(), M)};
    });
    return out;
}

Tensor scatter_rows(const Tensor& y, const Tensor& rows, int64_t M) {
    Tensor out = ops::scatter_rows(y, rows, M);
    SavedTensor sr = rows;
    record("ScatterRowsBackward", {&y}, out, [sr](const Tensor& dy) {
        return std::vector<Tensor>{ops::index_select(ops::contiguous(dy), 0, sr.get())};
    });
    return out;
}

Tensor gather(const Tensor& x, int64_t dim_in, const Tensor& index) {
    const int dim = normalize_dim(dim_in, x.dim(), "gather");
    Tensor out = ops::gather(x, dim, index);
    SavedTensor si = index;
    const Shape shape = x.shape();
    record("GatherBackward", {&x}, out, [si, shape, dim](const Tensor& dy) {
        return std::vector<Tensor>{ops::scatter_add(shape, dim, si.get(), dy)};
    });
    return out;
}

Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, double value) {
    LM_CHECK(pads.size() % 2 == 0 && static_cast<int>(pads.size() / 2) <= x.dim(),
             "pad: expected pairs (before, after) for at most ", x.dim(), " dims, got ",
             pads.size(), " values");
    Shape shape = x.shape();
    std::vector<int64_t> starts(x.dim(), 0);
    for (size_t i = 0; i < pads.size() / 2; ++i) {
        const int d = x.dim() - 1 - static_cast<int>(i);
        LM_CHECK(pads[2 * i] >= 0 && pads[2 * i + 1] >= 0,
                 "pad: negative padding is not supported");
        starts[d] = pads[2 * i];
        shape[d] += pads[2 * i] + pads[2 * i + 1];
    }
    Tensor out = full(shape, value, {x.dtype(), x.device()});
    Tensor inner = out.detach();
    for (int d = 0; d < x.dim(); ++d)
        inner = inner.narrow(d, starts[d], x.size(d));
    ops::copy_into(inner, x);
    const Shape in_shape = x.shape();
    record("PadBackward", {&x}, out, [starts, in_shape](const Tensor& dy) {
        Tensor g = dy.detach();
        for (int d = 0; d < in_shape.size(); ++d)
            g = g.narrow(d, starts[d], in_shape[d]);
        return std::vector<Tensor>{ops::contiguous(g)};
    });
    return out;
}

Tensor one_hot(const Tensor& ids, int64_t num_classes, DType dtype) {
    LM_CHECK(num_classes > 0, "one_hot: num_classes must be positive");
    const Tensor idx = ops::cast(ids, DType::Int64);
    const Tensor classes = arange(num_classes, {DType::Int64, ids.device()});
    if (ids.numel() > 0) {
        const Tensor flat = idx.reshape({-1});
        const double lo = ops::min(flat, 0).first.item(), hi = ops::max(flat, 0).first.item();
        LM_CHECK(lo >= 0 && hi < num_classes, "one_hot: class index ", lo < 0 ? lo : hi,
                 " is out of range [0, ", num_classes, ")");
    }
    return ops::cast(ops::binary(ops::BinaryOp::Eq, idx.unsqueeze(-1), classes), dtype);
}

// y = weight[ids]; dweight = index_add over ids of dy (rows of repeated ids are summed)
Tensor embedding(const Tensor& ids, const Tensor& weight) {
    LM_CHECK(weight.dim() == 2, "embedding: weight must be [V, D], got ", weight.shape().str());
    const Tensor flat = ops::contiguous(ids).detach().view({-1});
    Shape out_shape = ids.shape();
    out_shape.push_back(weight.size(1));
    Tensor y = ops::index_select(weight, 0, flat).view(out_shape);
    SavedTensor sids = flat;
    const Shape w_shape = weight.shape();
    record("EmbeddingBackward", {&weight}, y, [sids, w_shape](const Tensor& dy) {
        const Tensor g = ops::contiguous(dy).detach().view({-1, w_shape[1]});
        return std::vector<Tensor>{ops::index_add(w_shape, 0, sids.get(), g)};
    });
    return y;
}

}  // namespace lm
