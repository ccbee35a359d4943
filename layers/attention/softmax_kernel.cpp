#include "layers/attention/softmax_kernel.h"

#include "core/autograd/attention.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> SoftmaxKernel::options() {
    return {
        number_option<AttentionConfig>("dropout", &SoftmaxOptions::dropout, 0, 1, true,
                                       "dropout on attention probabilities"),
    };
}

SoftmaxKernel::SoftmaxKernel(const AttentionConfig& cfg, const AttentionContext& ctx)
    : dropout_(cfg.dropout), gen_(ctx.dropout) {}

Tensor SoftmaxKernel::forward(const Tensor& q,
                              const Tensor& k,
                              const Tensor& v,
                              const Tensor& mask) {
    SoftmaxAttentionOptions opts;
    opts.dropout = dropout_;  // scale 1/sqrt(D), -1e6 on padded keys: the reference's choices
    return softmax_attention(q, k, v, mask, opts, is_training(), *gen_);
}

}  // namespace lm::nn
