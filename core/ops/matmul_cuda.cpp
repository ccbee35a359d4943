// cuBLAS launcher of GEMM plans: one cublasGemmStridedBatchedEx_64 per plan, its arguments from
// cublas_call() (matmul_cuda_plan.h, checked against OpenBLAS on the CPU). Float32 products use
// compute type 32F (TF32 only when ops::set_allow_tf32(true)); 16-bit products accumulate in
// float32.
#include <cublas_v2.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/ops/matmul_backend.h"
#include "core/ops/matmul_cuda_plan.h"
#include "core/ops/matmul_mixed.h"
#include "core/ops/matmul_mixed_backend.h"

namespace lm::cuda {

namespace {

cudaDataType cuda_type(BlasType t) {
    switch (t) {
        case BlasType::F32:
            return CUDA_R_32F;
        case BlasType::F64:
            return CUDA_R_64F;
        case BlasType::BF16:
            return CUDA_R_16BF;
        case BlasType::F16:
            return CUDA_R_16F;
    }
    return CUDA_R_32F;
}

cublasComputeType_t cuda_compute(BlasCompute c) {
    switch (c) {
        case BlasCompute::F32:
            return CUBLAS_COMPUTE_32F;
        case BlasCompute::F32_TF32:
            return CUBLAS_COMPUTE_32F_FAST_TF32;
        case BlasCompute::F64:
            return CUBLAS_COMPUTE_64F;
    }
    return CUBLAS_COMPUTE_32F;
}

cublasOperation_t op(bool trans) {
    return trans ? CUBLAS_OP_T : CUBLAS_OP_N;
}

// The device that owns a device pointer (the plan carries raw pointers only).
int device_of(const void* p) {
    cudaPointerAttributes attr{};
    LM_CUDA_CHECK(cudaPointerGetAttributes(&attr, p));
    LM_CHECK(attr.type == cudaMemoryTypeDevice, "matmul on CUDA: the output is not device memory");
    return attr.device;
}

void run(
    const CublasGemmCall& call, const void* a, const void* b, void* c, double alpha, double beta) {
    if (call.empty()) return;
    const std::string problem = cublas_call_problem(call);
    LM_ASSERT(problem.empty(), "invalid cuBLAS call: ", problem);
    const int device = device_of(c);
    const DeviceScope scope(Device::cuda(device));
    const float fa = static_cast<float>(alpha), fb = static_cast<float>(beta);
    const void* pa = call.double_scalars ? static_cast<const void*>(&alpha) : &fa;
    const void* pb = call.double_scalars ? static_cast<const void*>(&beta) : &fb;
    LM_CUBLAS_CHECK(cublasGemmStridedBatchedEx_64(
        cublas_handle(device), op(call.trans_a), op(call.trans_b), call.m, call.n, call.k, pa, a,
        cuda_type(call.a_type), call.lda, call.stride_a, b, cuda_type(call.b_type), call.ldb,
        call.stride_b, pb, c, cuda_type(call.c_type), call.ldc, call.stride_c, call.batch,
        cuda_compute(call.compute), CUBLAS_GEMM_DEFAULT));
}

}  // namespace

void gemm(const kernels::GemmPlan& plan,
          DType dtype,
          const void* first,
          const void* second,
          void* c,
          double alpha,
          double beta) {
    run(cublas_call(plan, dtype, dtype, ops::allow_tf32()), first, second, c, alpha, beta);
}

void gemm_mixed(const kernels::GemmPlan& plan,
                DType in,
                DType out,
                const void* first,
                const void* second,
                void* c,
                double alpha,
                double beta) {
    run(cublas_call(plan, in, out, false), first, second, c, alpha, beta);
}

}  // namespace lm::cuda
