// Exact softmax attention as an autograd node: the forward saves what the fused backward needs.
#include "core/autograd/attention.h"

#include <cmath>
#include <memory>

#include "core/autograd/functional.h"
#include "core/autograd/record.h"

namespace lm {

Tensor softmax_attention(const Tensor& q,
                         const Tensor& k,
                         const Tensor& v,
                         const Tensor& mask,
                         const SoftmaxAttentionOptions& opts,
                         bool training,
                         Generator& gen) {
    LM_CHECK(q.dim() == 4, "softmax_attention: q must be [B, H, N, D], got ", q.shape().str());
    ops::SoftmaxAttentionConfig cfg;
    cfg.scale = opts.scale > 0 ? opts.scale : 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    cfg.mask_value = opts.mask_value;
    cfg.dropout = training ? opts.dropout : 0.0;
    if (cfg.dropout > 0) {
        cfg.seed = gen.seed();
        cfg.offset =
            gen.reserve(ops::softmax_attention_dropout_blocks(q.size(0), q.size(1), q.size(2)));
    }
    Tensor lse;
    Tensor out = ops::softmax_attention_forward(q, k, v, mask, cfg, &lse);
    SavedTensor sq = q, sk = k, sv = v, sm = mask, so = out, sl = lse;
    record("SoftmaxAttentionBackward", {&q, &k, &v}, out, [=](const Tensor& dy) {
        ops::AttentionGrads g = ops::softmax_attention_backward(
            sq.get(), sk.get(), sv.get(), sm.get(), so.get(), sl.get(), dy, cfg);
        return std::vector<Tensor>{g.dq, g.dk, g.dv};
    });
    return out;
}

}  // namespace lm
