// Exact (quadratic: O(N^2) memory) attention that the linear-memory kernels approximate, for
// tests and `landmark approx`. Shapes: q, k, v [B, H, N, D]; mask [B, N] (1 = token).
#pragma once

#include <string>

#include "core/tensor/tensor.h"
#include "layers/attention/attention_kernel.h"

namespace lm::nn {

// softmax(scale q k^T - 1e6 on padded keys) [B, H, N, N]; scale 0 means 1/sqrt(D).
Tensor softmax_scores(const Tensor& q, const Tensor& k, const Tensor& mask, double scale = 0.0);
// softmax_scores(q, k, mask, scale) v.
Tensor exact_softmax(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, double scale = 0.0);
// Skyformer's kernelized attention C V: C_ij = exp(-||q_i' - k_j'||^2 / 2) with
// q' = q d^-1/4, k' = k d^-1/4, 0 on padded keys, no row normalisation.
Tensor exact_gaussian(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask);
// RPE attention with normalised q, k: softmax_j(q^.k^_j + b[h, j - i]) over real keys, for the
// biases b [H, 2N - 1] (offset t at index t + N - 1).
Tensor exact_rpe(
    const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask, const Tensor& bias);
// SchoenbAt's target: pre-SBN q~, k~, w_ij = f(q~_i . k~_j) over real keys,
// out_i = gamma * sum_j w_ij v_j / max(sum_j w_ij, 1).
Tensor exact_dot_kernel(const Tensor& q,
                        const Tensor& k,
                        const Tensor& v,
                        const Tensor& mask,
                        const std::string& dotf,
                        const Tensor& gamma);
// Feature attention computed through the N x N kernel matrix phi_q phi_k^T (padded keys
// dropped), out = (K v) / (K 1 + eps) or / max(K 1, min_denominator) when that is positive.
Tensor exact_feature_attention(const Tensor& phi_q,
                               const Tensor& phi_k,
                               const Tensor& v,
                               const Tensor& mask,
                               double eps,
                               double min_denominator = 0.0);

// The exact attention a kernel approximates in its own terms when that is not softmax(q k^T /
// sqrt d): skyformer -> exact_gaussian, kernelized_rpe -> exact_rpe with its biases, schoenbat ->
// exact_dot_kernel with its dotf and gamma, performer with scale "reference" -> softmax(q.k / d).
// Undefined for every other kernel.
Tensor own_exact_reference(const AttentionKernel& kernel,
                           const Tensor& q,
                           const Tensor& k,
                           const Tensor& v,
                           const Tensor& mask);

}  // namespace lm::nn
