#include "core/ops/attention.h"

#include "core/ops/attention_backend.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"

namespace lm::ops {

Tensor key_bias(const Tensor& mask, double value) {
    // (1 - mask) * value = value - value * mask
    return unary(UnaryOp::Affine, mask, -value, value).view({mask.size(0), 1, 1, mask.size(1)});
}

namespace {
void check_qkv(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, const char* op) {
    check_floating(q, op);
    LM_CHECK(q.dim() == 4, op, ": q must be [B, H, N, D], got ", q.shape().str());
    LM_CHECK(k.shape() == q.shape() && v.shape() == q.shape(), op, ": q ", q.shape().str(), ", k ",
             k.shape().str(), " and v ", v.shape().str(), " must have the same shape");
    LM_CHECK(mask.dim() == 2 && mask.size(0) == q.size(0) && mask.size(1) == q.size(2), op,
             ": mask must be [B, N] = [", q.size(0), ", ", q.size(2), "], got ",
             mask.shape().str());
    for (const Tensor* t : {&k, &v, &mask}) {
        check_same_dtype(q, *t, op);
        check_same_device(q, *t, op);
    }
}
}  // namespace

uint64_t softmax_attention_dropout_blocks(int64_t B, int64_t H, int64_t N) {
    return static_cast<uint64_t>((B * H * N * N + 3) / 4);
}

Tensor softmax_attention_forward(const Tensor& q,
                                 const Tensor& k,
                                 const Tensor& v,
                                 const Tensor& mask,
                                 const SoftmaxAttentionConfig& cfg,
                                 Tensor* lse_out) {
    check_qkv(q, k, v, mask, "softmax attention");
    LM_CHECK(cfg.dropout >= 0 && cfg.dropout < 1, "softmax attention: dropout must be in [0, 1)");
    Tensor out = empty(q.shape(), q.dtype(), q.device());
    Tensor lse = empty({q.size(0), q.size(1), q.size(2)}, q.dtype(), q.device());
    LM_DISPATCH_DEVICE(q.device(), softmax_attention_forward, out, lse, contiguous(q),
                       contiguous(k), contiguous(v), contiguous(mask), cfg);
    if (lse_out) *lse_out = lse;
    return out;
}

AttentionGrads softmax_attention_backward(const Tensor& q,
                                          const Tensor& k,
                                          const Tensor& v,
                                          const Tensor& mask,
                                          const Tensor& out,
                                          const Tensor& lse,
                                          const Tensor& dout,
                                          const SoftmaxAttentionConfig& cfg) {
    AttentionGrads g{empty(q.shape(), q.dtype(), q.device()),
                     empty(q.shape(), q.dtype(), q.device()),
                     empty(q.shape(), q.dtype(), q.device())};
    LM_DISPATCH_DEVICE(q.device(), softmax_attention_backward, g.dq, g.dk, g.dv, contiguous(q),
                       contiguous(k), contiguous(v), contiguous(mask), contiguous(out), lse,
                       contiguous(dout), cfg);
    return g;
}

}  // namespace lm::ops
