// Nystrom attention (no autograd; the differentiable nystrom_attention and landmark_means are in
// core/autograd/attention.h, their backward in nystrom_grad.cpp). Layout as in attention.h:
// q, k, v, out [B, H, N, D]; mask [B, N] float with 1 = token and 0 = padding.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ops/attention.h"
#include "core/tensor/tensor.h"

namespace lm::ops {

// ---- Nystrom attention over landmark segments (docs/attention.md, "Nystrom"):
//   Qs = q mask d^-1/4, Ks = k mask d^-1/4, Ql/Kl = landmark means of Qs/Ks (LandmarkSegments)
//   F = softmax(Qs Kl^T + fb), A = softmax(Ql Kl^T + ab), Bk = softmax(Ql Ks^T - 1e9 (1 -
//   mask_key)) out = (F pinv(A)) (Bk v), pinv = `iterations` steps of Z <- Z (13I - AZ(15I - AZ(7I
//   - AZ)))/4 from Z0 = A^T / c, c = max column sum of A over the whole batch (Global, the
//   reference) or per matrix (PerMatrix). fb and ab are zero unless an example has fewer landmarks
//   than the tensor has slots (see LandmarkSegments).
// The start scale c of every Newton-Schulz pseudo-inverse in the project (this op and
// nn::newton_schulz_pinv):
//   Global:    the largest column sum of A over the whole batch (the reference's);
//   PerMatrix: the largest column sum per matrix;
//   AbsNorms:  ||A||_1 ||A||_inf per matrix with absolute sums, safe when A has negative entries
//              (sigma_max(A)^2 <= ||A||_1 ||A||_inf, so ||A Z0|| <= 1); not for this op, whose
//              A is row-stochastic.
enum class PinvInit { Global, PerMatrix, AbsNorms };

// How positions are grouped into landmarks.
//   PerExample: each example's own real tokens, in order, split into m_b = min(m, L_b) contiguous
//     segments of sizes floor((j+1) L_b / m_b) - floor(j L_b / m_b) (differing by at most one);
//     padding never counts, so an example's landmarks depend on it alone, whatever the padding.
//   Reference: the public reference's m equal segments of the padded sequence (N a multiple of
//     m), padding counted as zero rows.
enum class LandmarkMode { PerExample, Reference };

struct NystromConfig {
    int64_t landmarks = 64;
    int iterations = 6;
    PinvInit init = PinvInit::PerMatrix;
    LandmarkMode mode = LandmarkMode::PerExample;
};

// The landmark segments of a batch, built on the host from the mask and kept on its device.
// M landmark slots: m (Reference) or min(m, N) (PerExample). Example b uses its first m_b slots;
// slots past m_b are empty (mean 0) and masked out of the softmaxes by the two biases, which make
// A = [A_real 0; 0 I], so the iteration and F pinv(A) act on the real block alone and an example
// with m_b landmarks gives what it gives alone.
struct LandmarkSegments {
    Tensor order;          // [B, N] int64: positions that enter landmarks, in order (rest unused)
    Tensor bounds;         // [B, M + 1] int64: landmark j averages order[bounds[j], bounds[j+1])
    Tensor segment;        // [B, N] int64: the landmark of each position, -1 for none
    Tensor landmark_bias;  // [B, 1, 1, M]: -1e9 on empty slots (undefined when none is empty)
    Tensor pair_bias;      // [B, 1, M, M]: -1e9 off the diagonal of empty slots' rows and on
                           // real rows' empty columns (undefined when none is empty)
    int64_t landmarks() const { return bounds.size(1) - 1; }
};
LandmarkSegments landmark_segments(const Tensor& mask, int64_t m, LandmarkMode mode);

// Landmark means along N: x [S, N, D] (S = B H, slice s of example s / H) -> [S, M, D], and the
// backward dx[s, i] += dl[s, j] / |segment j| for the segment j of position i.
Tensor landmark_mean(const Tensor& x, const LandmarkSegments& seg);
void landmark_mean_backward_add(const Tensor& dx, const Tensor& dl, const LandmarkSegments& seg);

// What the backward needs; forward fills it when given one.
struct NystromState {
    NystromConfig cfg;
    LandmarkSegments segments;
    Tensor v, mask;                     // inputs (q and k enter only as Qs, Ks)
    Tensor Qs, Ks, Ql, Kl;              // masked, scaled [S, N, D] and their landmarks [S, m, D]
    Tensor F, A, Bk, W;                 // [S, N, m], [S, m, m], [S, m, N], Bk v [S, m, D]
    std::vector<Tensor> Z;              // Z_0 ... Z_iterations, [S, m, m]
    Tensor c;                           // [S] init scale per matrix (all equal for Global)
    int64_t c_slice = 0, c_col = 0;     // where the Global max column sum was found
    std::vector<Tensor> pinv_products;  // T, U1, U2, U3 of each iteration (iterative_pinv)
};

Tensor nystrom_attention_forward(const Tensor& q,
                                 const Tensor& k,
                                 const Tensor& v,
                                 const Tensor& mask,
                                 const NystromConfig& cfg,
                                 NystromState* state);
AttentionGrads nystrom_attention_backward(const NystromState& state, const Tensor& dout);

// The iterative pseudo-inverse alone (used by Nystrom variants and tests): returns
// Z_0..Z_iterations for A [S, m, m] and fills c (and the Global argmax).
// When `products` is given, T, U1, U2, U3 of every iteration are appended to it (4 per
// iteration, [S, m, m] each) so the backward need not recompute them.
std::vector<Tensor> iterative_pinv(const Tensor& A,
                                   int iterations,
                                   PinvInit init,
                                   Tensor* c,
                                   int64_t* c_slice,
                                   int64_t* c_col,
                                   std::vector<Tensor>* products = nullptr);
// Gradient of the iteration: dA from dZ (the gradient of the final Z); `products` as filled by
// iterative_pinv, or null to recompute them.
Tensor iterative_pinv_backward(const Tensor& A,
                               const std::vector<Tensor>& Z,
                               const Tensor& c,
                               PinvInit init,
                               int64_t c_slice,
                               int64_t c_col,
                               const Tensor& dZ,
                               const std::vector<Tensor>* products = nullptr);

}  // namespace lm::ops
