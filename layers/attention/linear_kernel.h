// "linear": linear attention with the elu + 1 feature map (Katharopoulos et al. 2020):
//   phi(x) = elu(x) + 1,  out_i = phi(q_i) sum_j phi(k_j) v_j^T / (phi(q_i) . sum_j phi(k_j) + eps)
// with padded keys' features zeroed and eps = 1e-6. Time O(N D^2), memory O(N D).
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// "linear" has no options of its own.
struct LinearOptions {};

class LinearKernel : public AttentionKernel {
  public:
    using Options = LinearOptions;
    static constexpr const char* kName = "linear";
    static constexpr const char* kSize = "";
    static std::vector<AttentionOption> options();
    static constexpr double kEps = 1e-6;

    LinearKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    // phi(x) = elu(x) + 1 (strictly positive).
    static Tensor feature_map(const Tensor& x);
};

}  // namespace lm::nn
