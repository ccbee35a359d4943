// linear() under autocast (core/autograd/autocast.h): 16-bit operands, float32 accumulation,
// result and gradients. Called by linear() after it checked its arguments.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::detail {

// y = x W^T + b with x and W rounded to `half` (bfloat16 or float16) and the bias added in
// float32. Backward rounds dy to `half` as well (autocast's output would be 16-bit) and
// multiplies the saved rounded operands: dx = dy W, dW = dy^T x, db = sum_rows dy, in float32.
Tensor linear_mixed(const Tensor& x, const Tensor& weight, const Tensor& bias, DType half);

}  // namespace lm::detail
