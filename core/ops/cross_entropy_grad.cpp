// Differentiable cross-entropy: fused forward and backward kernels.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/cross_entropy.h"

namespace lm {

// loss = mean over counted rows of lse(x) - (1 - eps) x_t - eps mean(x)
Tensor cross_entropy(const Tensor& logits,
                     const Tensor& targets,
                     int64_t ignore_index,
                     double label_smoothing) {
    ops::CrossEntropyResult r = ops::cross_entropy(logits, targets, ignore_index, label_smoothing);
    SavedTensor sx = logits, st = targets;
    const int64_t count = r.count;
    record("CrossEntropyBackward", {&logits}, r.loss,
           [sx, st, count, ignore_index, label_smoothing](const Tensor& dy) {
               const double scale = count > 0 ? dy.item() / static_cast<double>(count) : 0.0;
               return std::vector<Tensor>{ops::cross_entropy_backward(
                   sx.get(), st.get(), ignore_index, label_smoothing, scale)};
           });
    return r.loss;
}

}  // namespace lm
