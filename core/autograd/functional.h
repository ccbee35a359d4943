// The differentiable tensor API (what layers and models call). Each function records an
// autograd node when grad mode is on and an input requires grad; its backward formula sits next
// to its forward in core/ops/<family>_grad.cpp.
//
// Shape legend: B batch, H heads, N (or n) sequence, D features, C classes, V vocabulary.
#pragma once

#include <utility>
#include <vector>

#include "core/autograd/grad_mode.h"
#include "core/base/rng.h"
#include "core/tensor/factory.h"
#include "core/tensor/tensor.h"

namespace lm {

// ---- element-wise (core/ops/elementwise_grad.cpp)
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
enum class GeluApprox { Erf, Tanh };
Tensor gelu(const Tensor& x, GeluApprox approx = GeluApprox::Erf);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
Tensor leaky_relu(const Tensor& x, double slope = 0.01);
Tensor abs(const Tensor& x);
Tensor square(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor pow(const Tensor& x, double exponent);
Tensor clamp(const Tensor& x, double lo, double hi);
Tensor sign(const Tensor& x);
Tensor affine(const Tensor& x, double scale, double shift);  // scale * x + shift

// Binary ops broadcast like NumPy; the gradient of a broadcast input is summed back to its shape.
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);

// Comparisons return Bool tensors and are not differentiable.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);

// cond ? a : b (gradient flows to a where cond, to b elsewhere); masked_fill puts `value` where
// mask is true.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double s);
Tensor operator-(const Tensor& a, double s);
Tensor operator*(const Tensor& a, double s);
Tensor operator/(const Tensor& a, double s);
Tensor operator+(double s, const Tensor& a);
Tensor operator-(double s, const Tensor& a);
Tensor operator*(double s, const Tensor& a);
Tensor operator/(double s, const Tensor& a);

// ---- reductions (core/ops/reduce_grad.cpp)
Tensor sum(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
// Maximum along `dim`: values (differentiable, gradient to the first maximum) and int64 indices.
std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
std::pair<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);  // over all elements
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);

// ---- linear algebra (core/ops/matmul_grad.cpp)
// torch.matmul semantics: 1-D operands are promoted, batch dims broadcast. Transposed views are
// passed to BLAS as transposes, never copied.
Tensor matmul(const Tensor& a, const Tensor& b);
// x [.., in] @ weight[out, in]^T + bias[out]
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

// ---- normalisation over rows (core/ops/softmax_grad.cpp, layer_norm_grad.cpp)
// Softmax over the last dim of x + mask, where `mask` (optional, broadcastable to x, not
// differentiated) is an additive bias such as -1e9 on padded keys.
Tensor softmax(const Tensor& x, const Tensor& mask = Tensor());
Tensor log_softmax(const Tensor& x, const Tensor& mask = Tensor());
// Layer norm over the last dim (fused forward and backward); weight and bias may be undefined.
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps = 1e-5);

// ---- losses (core/ops/cross_entropy_grad.cpp)
// Mean cross-entropy of logits [N, C] against int64/int32 targets [N]; targets equal to
// ignore_index are skipped; label smoothing mixes the one-hot target with the uniform one.
Tensor cross_entropy(const Tensor& logits,
                     const Tensor& targets,
                     int64_t ignore_index = -100,
                     double label_smoothing = 0.0);

// ---- embeddings, dropout, convolution (core/ops/index_grad.cpp, dropout_grad.cpp,
// conv_seq_grad.cpp)
// weight[V, D] rows gathered by integer ids of any shape -> [..., D]; backward scatter-adds.
Tensor embedding(const Tensor& ids, const Tensor& weight);
// Inverted dropout: zeroes with probability p and scales the rest by 1/(1-p). The mask comes
// from Philox counters reserved on `gen`, so it is the same for any thread count and device.
// On the CPU the backward reads it from 1 bit per element kept by the forward; on the GPU it is
// regenerated (cheaper there than storing it).
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen = default_generator());
// Depthwise 1-D convolution along the sequence of x[B, H, N, D] with one filter per head
// weight[H, K] (K odd, zero padding K/2, cross-correlation as in PyTorch's Conv2d with kernel
// (K, 1) and groups H): the Nystrom skip connection on V.
Tensor depthwise_conv_seq(const Tensor& x, const Tensor& weight);

// ---- shape and indexing (core/ops/index_grad.cpp)
Tensor concat(const std::vector<Tensor>& xs, int64_t dim);
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int64_t dim);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim);
// A fused projection's output x [B, N, parts * heads * d] as `parts` contiguous [B, heads, N, d]
// tensors (q, k, v of one [dim, 3 inner] GEMM); the backward writes every part's gradient into
// one [B, N, parts * heads * d] buffer, so the projection gets a single contiguous dY.
std::vector<Tensor> split_heads(const Tensor& x, int64_t parts, int64_t heads);
Tensor stack(const std::vector<Tensor>& xs, int64_t dim);
// x.index_select(dim, idx) with int32/int64 indices; backward index-adds.
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
// Rows `rows` (int64 [R], distinct) of x [M, C] -> [R, C], and the inverse: y [R, C] placed at
// those rows of a zero [M, C]. Each one's backward is the other (the padding-free encoder path).
Tensor gather_rows(const Tensor& x, const Tensor& rows);
Tensor scatter_rows(const Tensor& y, const Tensor& rows, int64_t M);
// out[i][j] = x[i][index[i][j]] along `dim` (torch.gather); backward scatter-adds.
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
// Constant padding of the last dims: pads = {last_before, last_after, prev_before, ...}.
Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, double value = 0.0);
Tensor one_hot(const Tensor& ids, int64_t num_classes, DType dtype = DType::Float32);

}  // namespace lm
