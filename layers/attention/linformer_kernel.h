// "linformer" (Wang et al. 2020): learned length projections,
//   K' = E_N (K * mask), V' = E_N (V * mask), out = softmax(Q K'^T / sqrt(d)) V',
// with one E [k, max_len] per layer, shared by K and V and across heads (the reference's
// headwise + key-value sharing); E_N = the first N columns of E for inputs shorter than max_len.
// Padded rows are zeroed before projecting (there is no key mask after projection). E is
// initialised N(0, 0.02^2). Time O(N k d), memory O(N k).
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "linformer" (model.attention.*).
struct LinformerOptions {
    int64_t linformer_k = 256;  // projected length k
};

class LinformerKernel : public AttentionKernel {
  public:
    using Options = LinformerOptions;
    static constexpr const char* kName = "linformer";
    static constexpr const char* kSize = "linformer_k";
    static std::vector<AttentionOption> options();
    LinformerKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }

    Tensor projection;  // E [k, max_len]
};

}  // namespace lm::nn
