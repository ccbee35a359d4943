// CUDA entry point of the mixed-precision GEMM (core/ops/matmul_mixed.h): one cuBLAS call with
// `in` operands (bfloat16 or float16) and a float32 `out` result. The CPU emulates it.
#pragma once

#include "core/kernels/gemm_plan.h"
#include "core/tensor/dtype.h"

namespace lm::cuda {
void gemm_mixed(const kernels::GemmPlan& plan,
                DType in,
                DType out,
                const void* first,
                const void* second,
                void* c,
                double alpha,
                double beta);
}  // namespace lm::cuda
