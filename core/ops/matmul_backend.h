// Backend entry point of the GEMMs: one column-major batched call described by a GemmPlan.
#pragma once

#include "core/kernels/gemm_plan.h"
#include "core/tensor/dtype.h"

namespace lm::cpu {
void gemm(const kernels::GemmPlan& plan,
          DType dtype,
          const void* first,
          const void* second,
          void* c,
          double alpha,
          double beta);
// C = op(first) op(second) + bias, the bias (plan.m values) added down every column of the
// column-major C; float products the direct kernel takes add it in their store, others start
// from a broadcast copy. CPU only: the CUDA path broadcasts and accumulates (ops::linear_into).
void gemm_bias(const kernels::GemmPlan& plan,
               DType dtype,
               const void* first,
               const void* second,
               void* c,
               const void* bias);
}  // namespace lm::cpu

namespace lm::cuda {
void gemm(const kernels::GemmPlan& plan,
          DType dtype,
          const void* first,
          const void* second,
          void* c,
          double alpha,
          double beta);
}  // namespace lm::cuda
