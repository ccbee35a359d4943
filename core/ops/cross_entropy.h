// Cross-entropy of logit rows against class targets, with label smoothing and an ignored
// index (no autograd; the differentiable version is in core/autograd/functional.h, its
// backward in cross_entropy_grad.cpp).
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace lm::ops {

struct CrossEntropyResult {
    Tensor loss;    // 0-d mean over counted rows (NaN when every target is ignored)
    int64_t count;  // rows whose target is not ignore_index
};
// logits [N, C], targets [N] (int32/int64 in [0, C) or ignore_index).
CrossEntropyResult cross_entropy(const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double label_smoothing);
// dlogits = scale * (softmax - smoothed one-hot), zero on ignored rows.
Tensor cross_entropy_backward(const Tensor& logits,
                              const Tensor& targets,
                              int64_t ignore_index,
                              double label_smoothing,
                              double scale);

}  // namespace lm::ops
