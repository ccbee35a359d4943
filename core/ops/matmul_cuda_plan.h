// The cuBLAS call a GemmPlan becomes: every argument of one cublasGemmStridedBatchedEx_64, plus
// the element and compute types, computed on the host without CUDA types so that
// tests/kernels/cublas_call_test.cpp replays it through column-major OpenBLAS (the semantics of
// cuBLAS) and checks it against a naive product. core/ops/matmul_cuda.cpp only maps the enums.
//
// Mapping: cuBLAS's A is the plan's first operand (the row-major B), cuBLAS's B is the plan's
// second (the row-major A), as in gemm_plan.h's C^T = B^T A^T. Batch item b reads
// A + b stride_a, B + b stride_b and writes C + b stride_c (stride 0 broadcasts).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/base/check.h"
#include "core/kernels/gemm_plan.h"
#include "core/tensor/dtype.h"

namespace lm::cuda {

enum class BlasType : uint8_t { F32, F64, BF16, F16 };
// F32: fp32 accumulation (FMA); F32_TF32: fp32 accumulation with TF32 tensor-core inputs;
// F64: double.
enum class BlasCompute : uint8_t { F32, F32_TF32, F64 };

struct CublasGemmCall {
    bool trans_a = false, trans_b = false;
    int64_t m = 0, n = 0, k = 0;
    int64_t lda = 1, ldb = 1, ldc = 1;
    int64_t stride_a = 0, stride_b = 0, stride_c = 0;
    int64_t batch = 1;
    BlasType a_type = BlasType::F32, b_type = BlasType::F32, c_type = BlasType::F32;
    BlasCompute compute = BlasCompute::F32;
    bool double_scalars = false;  // alpha/beta are double (F64 compute) or float
    bool empty() const { return m == 0 || n == 0 || batch == 0; }
};

inline BlasType blas_type(DType t) {
    switch (t) {
        case DType::Float32:
            return BlasType::F32;
        case DType::Float64:
            return BlasType::F64;
        case DType::BFloat16:
            return BlasType::BF16;
        case DType::Float16:
            return BlasType::F16;
        default:
            break;
    }
    LM_CHECK(false, "matmul on CUDA: unsupported dtype ", dtype_name(t),
             "; expected float32, float64, bfloat16 or float16");
}

// Inputs of dtype `in`, output `out`: same-type products, or 16-bit inputs with a float32
// output (autocast). TF32 applies to float32 products only, when allowed.
inline CublasGemmCall cublas_call(const kernels::GemmPlan& p,
                                  DType in,
                                  DType out,
                                  bool allow_tf32) {
    const bool same = in == out && is_floating(in);
    const bool mixed = out == DType::Float32 && (in == DType::BFloat16 || in == DType::Float16);
    LM_CHECK(same || mixed, "matmul on CUDA: cannot multiply ", dtype_name(in), " operands into a ",
             dtype_name(out), " result");
    CublasGemmCall c;
    c.trans_a = p.trans_first;
    c.trans_b = p.trans_second;
    c.m = p.m;
    c.n = p.n;
    c.k = p.k;
    c.lda = p.ld_first;
    c.ldb = p.ld_second;
    c.ldc = p.ldc;
    c.stride_a = p.stride_first;
    c.stride_b = p.stride_second;
    c.stride_c = p.stride_c;
    c.batch = p.batch;
    c.a_type = c.b_type = blas_type(in);
    c.c_type = blas_type(out);
    c.double_scalars = in == DType::Float64;
    c.compute = c.double_scalars ? BlasCompute::F64
                                 : (allow_tf32 && in == DType::Float32 ? BlasCompute::F32_TF32
                                                                       : BlasCompute::F32);
    return c;
}

// cuBLAS's argument rules (CUBLAS_STATUS_INVALID_VALUE otherwise): an empty string when the call
// is valid, else what is wrong.
inline std::string cublas_call_problem(const CublasGemmCall& c) {
    if (c.m < 0 || c.n < 0 || c.k < 0 || c.batch < 0) return "negative size";
    const int64_t rows_a = c.trans_a ? c.k : c.m, rows_b = c.trans_b ? c.n : c.k;
    if (c.lda < std::max<int64_t>(1, rows_a)) return "lda below the rows of A";
    if (c.ldb < std::max<int64_t>(1, rows_b)) return "ldb below the rows of B";
    if (c.ldc < std::max<int64_t>(1, c.m)) return "ldc below the rows of C";
    return "";
}

}  // namespace lm::cuda
