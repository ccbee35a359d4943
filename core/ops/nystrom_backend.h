// Backend entry points of the Nystrom landmark means (nystrom_cpu.cpp, nystrom_cuda.cu): x, dx
// [S, N, D] contiguous (S = B H), out, dl [S, M, D]; order, bounds and segment are the int64
// tensors of ops::LandmarkSegments. The rest of Nystrom attention is written over other
// families' ops (nystrom.cpp).
#pragma once

#include "core/tensor/tensor.h"

namespace lm::cpu {
void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds);
void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds);
}  // namespace lm::cpu

namespace lm::cuda {
void landmark_mean(const Tensor& out, const Tensor& x, const Tensor& order, const Tensor& bounds);
void landmark_mean_backward_add(const Tensor& dx,
                                const Tensor& dl,
                                const Tensor& segment,
                                const Tensor& bounds);
}  // namespace lm::cuda
