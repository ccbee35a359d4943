// Embedding lookup, dropout and the depthwise sequence convolution, with their gradients.
#include "core/autograd/functional.h"
#include "core/autograd/functions/record.h"
#include "core/ops/elementwise.h"
#include "core/ops/index.h"
#include "core/ops/sequence.h"

namespace lm {

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

// y = x * keep / (1 - p); dx = dy * keep / (1 - p) with the same regenerated mask
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen) {
    LM_CHECK(p >= 0 && p < 1, "dropout: p must be in [0, 1), got ", p);
    if (!training || p == 0.0) return x;
    const uint64_t seed = gen.seed();
    const uint64_t offset = gen.reserve(ops::dropout_blocks(x.numel()));
    Tensor bits;  // the keep mask as bits where the backend keeps one (CPU), else regenerated
    Tensor y = should_record({&x}) ? ops::dropout(x, p, seed, offset, &bits)
                                   : ops::dropout(x, p, seed, offset);
    record("DropoutBackward", {&x}, y, [p, seed, offset, bits](const Tensor& dy) {
        return std::vector<Tensor>{ops::dropout_backward(dy, p, seed, offset, bits)};
    });
    return y;
}

Tensor depthwise_conv_seq(const Tensor& x, const Tensor& weight) {
    Tensor y = ops::conv_seq(x, weight);
    const bool gx = wants_grad(x), gw = wants_grad(weight);
    SavedTensor sx = gw ? x : Tensor(), sw = weight;
    const int64_t K = weight.size(1);
    record("DepthwiseConvSeqBackward", {&x, &weight}, y, [gx, gw, sx, sw, K](const Tensor& dy) {
        Tensor dx = gx ? ops::conv_seq_backward_input(dy, sw.get()) : Tensor();
        Tensor dw = gw ? ops::conv_seq_backward_weight(sx.get(), dy, K) : Tensor();
        return std::vector<Tensor>{dx, dw};
    });
    return y;
}

}  // namespace lm
