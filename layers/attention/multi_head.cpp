#include "layers/attention/multi_head.h"

#include "core/autograd/autocast.h"
#include "core/autograd/functional.h"

namespace lm::nn {

MultiHeadAttention::MultiHeadAttention(int64_t dim,
                                       int64_t heads,
                                       int64_t head_dim,
                                       const AttentionConfig& cfg,
                                       int64_t max_len,
                                       Generator& init,
                                       Generator& dropout_gen)
    : heads_(heads), head_dim_(head_dim) {
    LM_CHECK(heads > 0 && head_dim > 0, "attention: heads and head_dim must be positive");
    const int64_t inner = heads * head_dim;
    query_ = register_module("query", std::make_shared<Linear>(dim, inner, true, init));
    key_ = register_module("key", std::make_shared<Linear>(dim, inner, true, init));
    value_ = register_module("value", std::make_shared<Linear>(dim, inner, true, init));
    AttentionContext ctx{heads, head_dim, max_len, &init, &dropout_gen};
    kernel_ = register_module("kernel", make_attention_kernel(cfg, ctx));
    out_ = register_module("out", std::make_shared<Linear>(inner, dim, true, init));
}

// One GEMM for the three projections: their weights stacked to [3 H*d, D] (the parameters stay
// three, as in checkpoints), the output split into heads. The input is read once, and its
// gradient comes from one GEMM over the stacked dY instead of three GEMMs and two sums.
void MultiHeadAttention::project(const Tensor& x, Tensor* q, Tensor* k, Tensor* v) const {
    const Tensor weight = concat({query_->weight, key_->weight, value_->weight}, 0);
    const Tensor bias = concat({query_->bias, key_->bias, value_->bias}, 0);
    const std::vector<Tensor> parts = split_heads(linear(x, weight, bias), 3, heads_);
    *q = parts[0];
    *k = parts[1];
    *v = parts[2];
}

Tensor MultiHeadAttention::forward(const Tensor& x, const Tensor& mask) const {
    Tensor q, k, v;
    project(x, &q, &k, &v);
    Tensor o;
    {
        // The attention core runs in float32 under autocast, as the reference runs it.
        const AutocastScope fp32_core(DType::Float32);
        o = kernel_->forward(q, k, v, mask);  // [B, H, N, d]
    }
    const int64_t B = x.size(0), N = x.size(1);
    return out_->forward(o.transpose(1, 2).reshape({B, N, heads_ * head_dim_}));
}

}  // namespace lm::nn
