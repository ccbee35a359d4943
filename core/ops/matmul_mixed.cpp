// Mixed-precision GEMMs (matmul_mixed.h). The plan is built as ops::gemm_into builds it; only
// the element types differ (16-bit operands, float32 result).
#include "core/ops/matmul_mixed.h"

#include <atomic>

#include "core/kernels/gemm_plan.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/matmul.h"
#ifdef LANDMARK_WITH_CUDA
#include "core/ops/matmul_mixed_backend.h"
#endif

namespace lm::ops {

namespace {

std::atomic<bool>& tf32_flag() {
    static std::atomic<bool> flag{false};
    return flag;
}

bool is_half(DType t) {
    return t == DType::BFloat16 || t == DType::Float16;
}

#ifdef LANDMARK_WITH_CUDA
kernels::OperandLayout layout_or_copy(Tensor& x) {
    kernels::OperandLayout l =
        kernels::operand_layout(x.size(1), x.size(2), x.stride(1), x.stride(2));
    if (!l.usable) {
        x = contiguous(x);
        l = kernels::operand_layout(x.size(1), x.size(2), x.stride(1), x.stride(2));
    }
    return l;
}

int64_t batch_stride(const Tensor& x) {
    return x.size(0) == 1 ? 0 : x.stride(0);
}

void gemm_mixed_cuda(
    const Tensor& c, const Tensor& a_in, const Tensor& b_in, double alpha, double beta) {
    Tensor a = a_in, b = b_in;
    const int64_t batch = c.size(0), m = c.size(1), n = c.size(2), k = a.size(2);
    const kernels::OperandLayout la = layout_or_copy(a), lb = layout_or_copy(b);
    const int64_t ldc = m == 1 ? n : c.stride(1);
    const kernels::GemmPlan plan =
        kernels::make_gemm_plan(m, n, k, la, lb, ldc, batch, batch_stride(a), batch_stride(b),
                                batch == 1 ? 0 : c.stride(0));
    cuda::gemm_mixed(plan, a.dtype(), DType::Float32, b.raw_data(), a.raw_data(), c.raw_data(),
                     alpha, beta);
}
#endif

}  // namespace

void set_allow_tf32(bool allow) {
    tf32_flag().store(allow);
}
bool allow_tf32() {
    return tf32_flag().load();
}

void gemm_mixed_into(const Tensor& c, const Tensor& a, const Tensor& b, double alpha, double beta) {
    LM_CHECK(a.dim() == 3 && b.dim() == 3 && c.dim() == 3, "gemm: expected 3-D operands");
    check_same_device(a, b, "matmul");
    check_same_device(a, c, "matmul");
    check_same_dtype(a, b, "matmul");
    LM_CHECK(is_half(a.dtype()) && c.dtype() == DType::Float32,
             "mixed-precision matmul: expected bfloat16 or float16 operands and a float32 "
             "result, got ",
             dtype_name(a.dtype()), " and ", dtype_name(c.dtype()));
    LM_CHECK(a.size(1) == c.size(1) && b.size(1) == a.size(2) && b.size(2) == c.size(2),
             "matmul: shapes ", a.shape().str(), " @ ", b.shape().str(), " -> ", c.shape().str(),
             " do not match");
    if (c.device().is_cpu()) {  // emulation: the rounded inputs, multiplied in float32
        gemm_into(c, cast(a, DType::Float32), cast(b, DType::Float32), alpha, beta);
        return;
    }
#ifdef LANDMARK_WITH_CUDA
    LM_ASSERT(c.stride(2) == 1 || c.size(2) == 1, "gemm output must have unit column stride");
    gemm_mixed_cuda(c, a, b, alpha, beta);
    c.bump_version();
#else
    detail::throw_no_cuda("matmul");
#endif
}

namespace {

Tensor as_batched3(const Tensor& x, const Shape& batch_shape) {
    Shape full = batch_shape;
    full.push_back(x.size(-2));
    full.push_back(x.size(-1));
    return x.detach().expand(full).reshape({batch_shape.numel(), x.size(-2), x.size(-1)});
}

Shape leading(const Tensor& x) {
    Shape s;
    for (int d = 0; d + 2 < x.dim(); ++d)
        s.push_back(x.size(d));
    return s;
}

}  // namespace

Tensor matmul_mixed(const Tensor& a_in, const Tensor& b_in) {
    LM_CHECK(a_in.dim() >= 1 && b_in.dim() >= 1, "matmul: operands must have at least one dim");
    const Tensor a = a_in.dim() == 1 ? a_in.detach().unsqueeze(0) : a_in.detach();
    const Tensor b = b_in.dim() == 1 ? b_in.detach().unsqueeze(-1) : b_in.detach();
    LM_CHECK(a.size(-1) == b.size(-2), "matmul: shapes ", a_in.shape().str(), " and ",
             b_in.shape().str(), " cannot be multiplied");
    const int64_t m = a.size(-2), n = b.size(-1), k = a.size(-1);
    Tensor out;
    if (b.dim() == 2 && a.dim() > 2 && a.is_contiguous()) {  // one GEMM over all rows
        Shape shape = leading(a);
        shape.push_back(m);
        shape.push_back(n);
        out = empty(shape, DType::Float32, a.device());
        const int64_t rows = a.numel() / k;
        gemm_mixed_into(out.view({1, rows, n}), a.view({1, rows, k}), b.unsqueeze(0));
    } else {
        const Shape batch = broadcast_shapes(leading(a), leading(b), "matmul");
        Shape shape = batch;
        shape.push_back(m);
        shape.push_back(n);
        out = empty(shape, DType::Float32, a.device());
        gemm_mixed_into(out.view({batch.numel(), m, n}), as_batched3(a, batch),
                        as_batched3(b, batch));
    }
    if (b_in.dim() == 1) out = out.squeeze(-1);
    if (a_in.dim() == 1) out = out.squeeze(b_in.dim() == 1 ? -1 : -2);
    return out;
}

}  // namespace lm::ops
