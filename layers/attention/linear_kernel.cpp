#include "layers/attention/linear_kernel.h"

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> LinearKernel::options() {
    return {};
}

LinearKernel::LinearKernel(const AttentionConfig& /*cfg*/, const AttentionContext& /*ctx*/) {}

Tensor LinearKernel::feature_map(const Tensor& x) {
    return elu(x) + 1.0;
}

Tensor LinearKernel::forward(const Tensor& q,
                             const Tensor& k,
                             const Tensor& v,
                             const Tensor& mask) {
    FeatureAttentionOptions opts;
    opts.eps = kEps;
    return feature_attention(feature_map(q), feature_map(k), v, mask, opts);
}

}  // namespace lm::nn
