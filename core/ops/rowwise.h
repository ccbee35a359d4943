// Row-wise ops over the last dim (no autograd): softmax, log-softmax, layer norm, cross-entropy.
// Forward ops return what their backward needs (softmax output, layer-norm statistics).
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

Tensor softmax(const Tensor& x);
Tensor softmax_backward(const Tensor& y, const Tensor& dy);  // dx = y (dy - sum(dy y))
Tensor log_softmax(const Tensor& x);
Tensor log_softmax_backward(const Tensor& y, const Tensor& dy);  // dx = dy - e^y sum(dy)

struct LayerNormResult {
    Tensor y, mean, rstd;  // mean and rstd: one per row, shape x.shape()[:-1]
};
// w and b: [C] or undefined.
LayerNormResult layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps);
struct LayerNormGrads {
    Tensor dx, dw, db;
};
LayerNormGrads layer_norm_backward(const Tensor& x, const Tensor& w, const Tensor& mean,
                                   const Tensor& rstd, const Tensor& dy, bool need_dw,
                                   bool need_db);

struct CrossEntropyResult {
    Tensor loss;    // 0-d mean over counted rows (NaN when every target is ignored)
    int64_t count;  // rows whose target is not ignore_index
};
// logits [N, C], targets [N] (int32/int64 in [0, C) or ignore_index).
CrossEntropyResult cross_entropy(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                                 double label_smoothing);
// dlogits = scale * (softmax - smoothed one-hot), zero on ignored rows.
Tensor cross_entropy_backward(const Tensor& logits, const Tensor& targets, int64_t ignore_index,
                              double label_smoothing, double scale);

}  // namespace lm::ops
