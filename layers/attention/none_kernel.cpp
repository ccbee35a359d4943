#include "layers/attention/none_kernel.h"

#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "layers/attention/registry.h"

namespace lm::nn {

std::vector<AttentionOption> NoneKernel::options() {
    return {};
}

NoneKernel::NoneKernel(const AttentionConfig& /*cfg*/, const AttentionContext& /*ctx*/) {}

Tensor NoneKernel::forward(const Tensor& q,
                           const Tensor& k,
                           const Tensor& v,
                           const Tensor& /*mask*/) {
    // out = v, recorded as one node whose gradients are dq = dk = 0 and dv = dout, so callers
    // asking for every input's gradient (landmark attn) get zeros rather than nothing.
    Tensor out = v.detach().clone();
    const Shape qs = q.shape(), ks = k.shape();
    record("NoneAttentionBackward", {&q, &k, &v}, out, [qs, ks](const Tensor& dy) {
        const TensorOptions o{dy.dtype(), dy.device()};
        return std::vector<Tensor>{zeros(qs, o), zeros(ks, o), dy};
    });
    return out;
}

}  // namespace lm::nn
