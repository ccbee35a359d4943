// Which implementation the CUDA row kernels use: v1 runs the sequential row functions of
// core/kernels/ with one thread per row (the CPU's math, the reference); v2 uses one warp per
// row with shuffles (kernels/row_parts.h). v2 is the default; the GPU tests compare v2 with v1.
// The environment variable LANDMARK_CUDA_ROW_KERNELS=v1 selects v1 at start-up.
#pragma once

namespace lm::cuda {

enum class RowKernels { V1, V2 };

RowKernels row_kernels();
void set_row_kernels(RowKernels version);

}  // namespace lm::cuda
