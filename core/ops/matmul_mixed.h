// Mixed-precision GEMMs (autocast, core/autograd/autocast.h): 16-bit operands, float32
// accumulation and result. On CUDA this is one cuBLAS call with bf16/fp16 inputs and compute type
// 32F; on the CPU it is emulated (operands widened to float32, then ops::gemm_into), which gives
// the same rounding of the inputs and lets the CPU tests run the autocast logic.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

// TF32 tensor cores for float32 GEMMs and convolutions on CUDA. Off by default: float32 products
// then round like fp32 FMA, which the CPU comparisons rely on.
void set_allow_tf32(bool allow);
bool allow_tf32();

// c[i] = alpha a[i] @ b[i] + beta c[i]: a [B|1, m, k], b [B|1, k, n] of one 16-bit dtype,
// c [B, m, n] float32 (gemm_into's conventions otherwise).
void gemm_mixed_into(
    const Tensor& c, const Tensor& a, const Tensor& b, double alpha = 1.0, double beta = 0.0);
// torch.matmul shapes for 16-bit a and b; the result is float32.
Tensor matmul_mixed(const Tensor& a, const Tensor& b);

}  // namespace lm::ops
