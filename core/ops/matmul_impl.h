// Backend entry point of the GEMMs: one column-major batched call described by a GemmPlan.
#pragma once

#include "core/base/dtype.h"
#include "core/kernels/gemm_plan.h"

#define LM_MATMUL_BACKEND_DECLS                                                              \
    void gemm(const kernels::GemmPlan& plan, DType dtype, const void* first, const void* second, \
              void* c, double alpha, double beta);

namespace lm::cpu {
LM_MATMUL_BACKEND_DECLS
}  // namespace lm::cpu

namespace lm::cuda {
LM_MATMUL_BACKEND_DECLS
}  // namespace lm::cuda
