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
// three, as in checkpoints). The input is read once, and its gradient comes from one GEMM over
// the stacked dY instead of three GEMMs and two sums.
Tensor MultiHeadAttention::qkv_projection(const Tensor& x) const {
    const Tensor weight = concat({query_->weight, key_->weight, value_->weight}, 0);
    const Tensor bias = concat({query_->bias, key_->bias, value_->bias}, 0);
    return linear(x, weight, bias);
}

void MultiHeadAttention::project(const Tensor& x, Tensor* q, Tensor* k, Tensor* v) const {
    const std::vector<Tensor> parts = split_heads(qkv_projection(x), 3, heads_);
    *q = parts[0];
    *k = parts[1];
    *v = parts[2];
}

Tensor MultiHeadAttention::attend(const Tensor& qkv, const Tensor& mask) const {
    const std::vector<Tensor> parts = split_heads(qkv, 3, heads_);
    // The attention core runs in float32 under autocast, as the reference runs it.
    const AutocastScope fp32_core(DType::Float32);
    return kernel_->forward(parts[0], parts[1], parts[2], mask);
}

Tensor MultiHeadAttention::forward(const Tensor& x, const Tensor& mask) const {
    const Tensor o = attend(qkv_projection(x), mask);  // [B, H, N, d]
    const int64_t B = x.size(0), N = x.size(1);
    return out_->forward(o.transpose(1, 2).reshape({B, N, heads_ * head_dim_}));
}

Tensor MultiHeadAttention::forward_rows(
    const Tensor& x_rows, const Tensor& rows, int64_t B, int64_t N, const Tensor& mask) const {
    LM_CHECK(kernel_->ignores_masked_rows(), "attention: the ", kernel_->type(),
             " kernel reads masked rows, so it needs the padded path");
    const int64_t inner = heads_ * head_dim_;
    const Tensor qkv = scatter_rows(qkv_projection(x_rows), rows, B * N).view({B, N, 3 * inner});
    const Tensor o = attend(qkv, mask);
    return out_->forward(gather_rows(o.transpose(1, 2).reshape({B * N, inner}), rows));
}

}  // namespace lm::nn
