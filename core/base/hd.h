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

// Vectorisation hint for host loops whose iterations the compiler cannot prove independent
// (pointers that might alias); nothing in CUDA compilation.
#if defined(__CUDACC__)
#define LM_SIMD
#else
#define LM_SIMD _Pragma("omp simd")
#endif
