// LM_HD marks functions compiled for both host and device: one math, two launchers.
// Host code (g++) sees plain inline functions, so the CPU tests exercise the CUDA kernels' math.
#pragma once

#if defined(__CUDACC__)
#define LM_HD __host__ __device__ __forceinline__
#define LM_DEVICE_CODE 1
#else
// Always inlined so loops over functors vectorise (an out-of-line exp stops the vectoriser).
#define LM_HD inline __attribute__((always_inline))
#endif
