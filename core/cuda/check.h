// Error checks of the CUDA runtime and libraries. A failing call becomes an lm::Error naming the
// call, its source location and the library's message (never exit(), unlike llm.c's cudaCheck),
// so callers and tests can catch it:
//   "CUDA error: cudaMalloc(&p, size) failed at core/cuda/allocator_cuda.cpp:31: out of memory"
// LM_CUDNN_CHECK expands to cudnnGetErrorString, so only TUs that include cudnn.h use it.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cufft.h>

namespace lm::cuda::detail {
[[noreturn]] void throw_call_error(const char* library,
                                   const char* call,
                                   const char* file,
                                   int line,
                                   int code,
                                   const char* message);
const char* cublas_status_string(cublasStatus_t status);
const char* cufft_result_string(cufftResult result);
}  // namespace lm::cuda::detail

#define LM_CUDA_CHECK(call)                                                         \
    do {                                                                            \
        const cudaError_t lm_cuda_err_ = (call);                                    \
        if (lm_cuda_err_ != cudaSuccess) {                                          \
            ::lm::cuda::detail::throw_call_error("CUDA", #call, __FILE__, __LINE__, \
                                                 static_cast<int>(lm_cuda_err_),    \
                                                 cudaGetErrorString(lm_cuda_err_)); \
        }                                                                           \
    } while (0)

#define LM_CUBLAS_CHECK(call)                                                       \
    do {                                                                            \
        const cublasStatus_t lm_blas_st_ = (call);                                  \
        if (lm_blas_st_ != CUBLAS_STATUS_SUCCESS) {                                 \
            ::lm::cuda::detail::throw_call_error(                                   \
                "cuBLAS", #call, __FILE__, __LINE__, static_cast<int>(lm_blas_st_), \
                ::lm::cuda::detail::cublas_status_string(lm_blas_st_));             \
        }                                                                           \
    } while (0)

#define LM_CUDNN_CHECK(call)                                                         \
    do {                                                                             \
        const cudnnStatus_t lm_dnn_st_ = (call);                                     \
        if (lm_dnn_st_ != CUDNN_STATUS_SUCCESS) {                                    \
            ::lm::cuda::detail::throw_call_error("cuDNN", #call, __FILE__, __LINE__, \
                                                 static_cast<int>(lm_dnn_st_),       \
                                                 cudnnGetErrorString(lm_dnn_st_));   \
        }                                                                            \
    } while (0)

#define LM_CUFFT_CHECK(call)                                                      \
    do {                                                                          \
        const cufftResult lm_fft_st_ = (call);                                    \
        if (lm_fft_st_ != CUFFT_SUCCESS) {                                        \
            ::lm::cuda::detail::throw_call_error(                                 \
                "cuFFT", #call, __FILE__, __LINE__, static_cast<int>(lm_fft_st_), \
                ::lm::cuda::detail::cufft_result_string(lm_fft_st_));             \
        }                                                                         \
    } while (0)
