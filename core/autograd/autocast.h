// Autocast regions (like torch.autocast): inside an AutocastScope(BFloat16 or Float16) the
// matrix products of linear() take operands rounded to that dtype and accumulate and return in
// float32 (ops::matmul_mixed); their backward uses the same rounded operands and gives float32
// gradients, so float32 parameters stay the master weights. Only linear() consults the scope:
// attention cores, layer norm, softmax and losses stay float32, and MultiHeadAttention turns
// autocast off around its kernel (the reference runs its attention in fp32).
// The region is per thread; the dtype is captured at forward time, so backward() may run
// outside it.
#pragma once

#include <string>

#include "core/tensor/dtype.h"

namespace lm {

// The reduced dtype of this thread's innermost autocast region; Float32 when there is none.
DType autocast_dtype();
inline bool autocast_enabled() {
    return autocast_dtype() != DType::Float32;
}

// RAII region: BFloat16 or Float16 turns autocast on, Float32 turns it off (nested regions
// restore the outer one on exit).
class AutocastScope {
  public:
    explicit AutocastScope(DType dtype);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

  private:
    DType prev_;
};

// "fp32", "bf16" or "fp16" (train.precision) as the autocast dtype.
DType precision_dtype(const std::string& name);

}  // namespace lm
