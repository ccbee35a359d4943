#include "core/ops/matmul.h"

#include <atomic>

#include "core/kernels/gemm_plan.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/matmul_backend.h"

namespace lm::ops {

namespace {

// The BLAS layout of the last two dims of a 3-D view, making it contiguous when BLAS cannot
// read it as is.
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

}  // namespace

namespace {
std::atomic<int64_t> g_gemm_flops{0};
}  // namespace

int64_t gemm_flops_total() {
    return g_gemm_flops.load(std::memory_order_relaxed);
}

namespace {

// The plan of c = a @ b (3-D views, shapes checked); a or b is replaced by a contiguous copy when
// no BLAS layout fits it.
kernels::GemmPlan plan_gemm(const Tensor& c, Tensor& a, Tensor& b) {
    LM_CHECK(a.dim() == 3 && b.dim() == 3 && c.dim() == 3, "gemm: expected 3-D operands");
    check_same_device(a, b, "matmul");
    check_same_device(a, c, "matmul");
    check_same_dtype(a, b, "matmul");
    check_same_dtype(a, c, "matmul");
    check_floating(a, "matmul");
    const int64_t batch = c.size(0), m = c.size(1), n = c.size(2), k = a.size(2);
    LM_CHECK(a.size(1) == m && b.size(1) == k && b.size(2) == n &&
                 (a.size(0) == batch || a.size(0) == 1) && (b.size(0) == batch || b.size(0) == 1),
             "matmul: shapes ", a.shape().str(), " @ ", b.shape().str(), " -> ", c.shape().str(),
             " do not match");
    LM_ASSERT(c.stride(2) == 1 || n == 1, "gemm output must have unit column stride");
    const kernels::OperandLayout la = layout_or_copy(a), lb = layout_or_copy(b);
    const int64_t ldc = m == 1 ? n : c.stride(1);
    g_gemm_flops.fetch_add(2 * batch * m * n * k, std::memory_order_relaxed);
    return kernels::make_gemm_plan(m, n, k, la, lb, ldc, batch, batch_stride(a), batch_stride(b),
                                   batch == 1 ? 0 : c.stride(0));
}

}  // namespace

void gemm_into(const Tensor& c, const Tensor& a_in, const Tensor& b_in, double alpha, double beta) {
    Tensor a = a_in, b = b_in;
    const kernels::GemmPlan plan = plan_gemm(c, a, b);
    LM_DISPATCH_DEVICE(c.device(), gemm, plan, c.dtype(), b.raw_data(), a.raw_data(), c.raw_data(),
                       alpha, beta);
    c.bump_version();
}

void linear_into(const Tensor& y, const Tensor& x, const Tensor& weight, const Tensor& bias) {
    if (!bias.defined()) return gemm_into(y.unsqueeze(0), x.unsqueeze(0), weight.mT().unsqueeze(0));
    LM_CHECK(bias.dim() == 1 && bias.size(0) == y.size(1) && bias.is_contiguous(), "linear: bias ",
             bias.shape().str(), " does not match the output ", y.shape().str());
    check_same_device(bias, y, "linear");
    check_same_dtype(bias, y, "linear");
    if (!y.device().is_cpu()) {  // broadcast the bias into every row, then accumulate
        copy_into(y, bias);
        return gemm_into(y.unsqueeze(0), x.unsqueeze(0), weight.mT().unsqueeze(0), 1.0, 1.0);
    }
    Tensor a = x.unsqueeze(0), b = weight.mT().unsqueeze(0);
    const kernels::GemmPlan plan = plan_gemm(y.unsqueeze(0), a, b);
    cpu::gemm_bias(plan, y.dtype(), b.raw_data(), a.raw_data(), y.raw_data(), bias.raw_data());
    y.bump_version();
}

namespace {

// x expanded to batch_shape + its last two dims and viewed as [prod(batch_shape), r, c].
Tensor as_batched3(const Tensor& x, const Shape& batch_shape) {
    Shape full = batch_shape;
    full.push_back(x.size(-2));
    full.push_back(x.size(-1));
    Tensor e = x.detach().expand(full);
    return e.reshape({batch_shape.numel(), x.size(-2), x.size(-1)});
}

Shape leading(const Tensor& x) {
    Shape s;
    for (int d = 0; d + 2 < x.dim(); ++d)
        s.push_back(x.size(d));
    return s;
}

}  // namespace

Tensor matmul(const Tensor& a_in, const Tensor& b_in) {
    LM_CHECK(a_in.dim() >= 1 && b_in.dim() >= 1,
             "matmul: operands must have at least one dim, got ", a_in.shape().str(), " and ",
             b_in.shape().str());
    check_same_device(a_in, b_in, "matmul");
    const Tensor a = a_in.dim() == 1 ? a_in.detach().unsqueeze(0) : a_in.detach();
    const Tensor b = b_in.dim() == 1 ? b_in.detach().unsqueeze(-1) : b_in.detach();
    LM_CHECK(a.size(-1) == b.size(-2), "matmul: shapes ", a_in.shape().str(), " and ",
             b_in.shape().str(), " cannot be multiplied (", a.size(-1), " != ", b.size(-2), ")");
    const int64_t m = a.size(-2), n = b.size(-1), k = a.size(-1);
    Shape out_shape;
    Tensor out;
    if (b.dim() == 2 && a.dim() > 2 && a.is_contiguous()) {
        // fold the batch into the rows: one large GEMM instead of many small ones
        out_shape = leading(a);
        out_shape.push_back(m);
        out_shape.push_back(n);
        out = empty(out_shape, a.dtype(), a.device());
        const int64_t rows = a.numel() / k;
        gemm_into(out.view({1, rows, n}), a.view({1, rows, k}), b.unsqueeze(0));
    } else {
        const Shape batch = broadcast_shapes(leading(a), leading(b), "matmul");
        out_shape = batch;
        out_shape.push_back(m);
        out_shape.push_back(n);
        out = empty(out_shape, a.dtype(), a.device());
        gemm_into(out.view({batch.numel(), m, n}), as_batched3(a, batch), as_batched3(b, batch));
    }
    if (b_in.dim() == 1) out = out.squeeze(-1);
    if (a_in.dim() == 1) out = out.squeeze(a_in.dim() == 1 && b_in.dim() == 1 ? -1 : -2);
    return out;
}

}  // namespace lm::ops
