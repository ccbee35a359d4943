#include "layers/attention/linformer_kernel.h"

#include <cmath>

#include "core/autograd/functional.h"
#include "layers/attention/attention_blocks.h"
#include "layers/attention/registry.h"
#include "layers/init.h"

namespace lm::nn {

std::vector<AttentionOption> LinformerKernel::options() {
    return {
        integer_option<AttentionConfig>("linformer_k", &LinformerOptions::linformer_k, 1, 1 << 20,
                                        "projected length k"),
    };
}

LinformerKernel::LinformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx) {
    LM_CHECK(ctx.max_len > 0, "linformer: the model's max_len must be positive");
    projection = init_normal({cfg.linformer_k, ctx.max_len}, 0.02, *ctx.init);
    register_parameter("projection", &projection);
}

Tensor LinformerKernel::forward(const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask) {
    const int64_t N = q.size(2), D = q.size(3);
    LM_CHECK(N <= projection.size(1), "linformer: sequence length ", N,
             " exceeds the projection's max_len ", projection.size(1));
    const Tensor E = projection.narrow(1, 0, N);  // [k, N]
    const Tensor m4 = row_mask(mask);
    const Tensor kp = matmul(E, k * m4), vp = matmul(E, v * m4);  // [B, H, k, D]
    const Tensor p = softmax(matmul(q, kp.mT()) * (1.0 / std::sqrt(static_cast<double>(D))));
    return matmul(p, vp);
}

}  // namespace lm::nn
