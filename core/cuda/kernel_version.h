// Which implementation the CUDA row kernels use: v1 runs the sequential row functions of
// core/kernels/ with one thread per row (the CPU's math, the reference); v2 uses one warp per
// row with shuffles (the lane pieces next to each family's row functions in core/kernels/). v2 is
// the default; the GPU tests compare v2 with v1. The environment variable
// LANDMARK_CUDA_ROW_KERNELS=v1 selects v1 at start-up.
#pragma once

#include "core/tensor/dtype.h"

namespace lm::cuda {

enum class RowKernels { V1, V2 };

RowKernels row_kernels();
void set_row_kernels(RowKernels version);

// v1 exists for float and double only; 16-bit storage always takes v2.
inline bool use_row_kernels_v1(DType t) {
    return row_kernels() == RowKernels::V1 && (t == DType::Float32 || t == DType::Float64);
}

}  // namespace lm::cuda
