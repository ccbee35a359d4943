#include "core/ops/cross_entropy.h"

#include <limits>

#include "core/ops/cross_entropy_backend.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"

namespace lm::ops {

namespace {
void check_cross_entropy(const Tensor& logits, const Tensor& targets) {
    check_floating(logits, "cross_entropy");
    LM_CHECK(logits.dim() == 2, "cross_entropy: logits must be [N, C], got ", logits.shape().str());
    LM_CHECK(targets.dtype() == DType::Int64 || targets.dtype() == DType::Int32,
             "cross_entropy: targets must be int32 or int64, got ", dtype_name(targets.dtype()));
    LM_CHECK(targets.dim() == 1 && targets.size(0) == logits.size(0), "cross_entropy: targets ",
             targets.shape().str(), " do not match logits ", logits.shape().str());
    check_same_device(logits, targets, "cross_entropy");
}
}  // namespace

CrossEntropyResult cross_entropy(const Tensor& logits,
                                 const Tensor& targets,
                                 int64_t ignore_index,
                                 double label_smoothing) {
    check_cross_entropy(logits, targets);
    LM_CHECK(label_smoothing >= 0 && label_smoothing <= 1,
             "cross_entropy: label_smoothing must be in [0, 1], got ", label_smoothing);
    int64_t count = 0;
    const double total = LM_DISPATCH_DEVICE(logits.device(), cross_entropy_rows, contiguous(logits),
                                            contiguous(ops::cast(targets, DType::Int64)),
                                            ignore_index, label_smoothing, &count);
    const double mean =
        count > 0 ? total / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
    Tensor loss = empty({}, logits.dtype(), logits.device());
    fill(loss, mean);
    return {loss, count};
}

Tensor cross_entropy_backward(const Tensor& logits,
                              const Tensor& targets,
                              int64_t ignore_index,
                              double label_smoothing,
                              double scale) {
    Tensor dx = empty(logits.shape(), logits.dtype(), logits.device());
    LM_DISPATCH_DEVICE(logits.device(), cross_entropy_rows_backward, dx, contiguous(logits),
                       contiguous(ops::cast(targets, DType::Int64)), ignore_index, label_smoothing,
                       scale);
    return dx;
}

}  // namespace lm::ops
