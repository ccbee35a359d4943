// "kernelized_rpe": kernelized attention with relative positional encoding (Luo et al. 2021,
// "Stable, Fast and Accurate", Algorithm 1 / NPRF with RPE; docs/attention.md, "kernelized_rpe"):
//   q <- q / ||q||, k <- k / ||k||    (normalised q and k, no 1/sqrt(d): bounded PRF variance)
//   phi(x) = m^-1/2 (exp(w_i . x - ||x||^2 / 2))_i,  w_i ~ N(0, I_d)   (E phi(x).phi(y) = e^{x.y})
//   c_t = exp(b_t - max b),  t = j - i in (-N, N)     (the constant cancels in the ratio)
//   D1 = C [phi(k_j) v_j^T]_j,  D2 = C [phi(k_j)]_j  with the Toeplitz C_ij = c_{j-i}
//   out_i = phi(q_i) . D1_i / phi(q_i) . D2_i
// so out approximates sum_j exp(q.k + b_{j-i}) v_j / sum_j exp(q.k + b_{j-i}). The Toeplitz
// products run through the FFT (core/autograd/toeplitz.h), O(N log N m D) time and O(N m D)
// memory. Padded keys' features are zeroed.
// Our choices where the paper is open: b (2 max_len - 1 values, init 0) is a learned parameter
// of each head of each layer (the paper shares one across layers), with no distance bucketing;
// w [m, d] is drawn once from the init generator (persistent buffer), never redrawn.
#pragma once

#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// The config options of "kernelized_rpe" (model.attention.*).
struct KernelizedRpeOptions {
    int64_t rpe_features = 32;  // positive random features m
};

class KernelizedRpeKernel : public AttentionKernel {
  public:
    using Options = KernelizedRpeOptions;
    static constexpr const char* kName = "kernelized_rpe";
    static constexpr const char* kSize = "rpe_features";
    static std::vector<AttentionOption> options();
    KernelizedRpeKernel(const AttentionConfig& cfg, const AttentionContext& ctx);
    Tensor forward(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) override;
    std::string type() const override { return kName; }
    // PRF features of an already normalised x [B, H, N, d] -> [B, H, N, m].
    Tensor feature_map(const Tensor& x) const;
    // The 2N - 1 biases b_{-(N-1)} .. b_{N-1} of each head used for length N: [H, 2N - 1].
    Tensor bias_for_length(int64_t N) const;

    Tensor bias;   // b [H, 2 max_len - 1], offset t = j - i at index t + max_len - 1
    Tensor omega;  // w [m, d] (persistent buffer)
};

}  // namespace lm::nn
