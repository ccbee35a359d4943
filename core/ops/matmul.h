// Matrix products (no autograd) through BLAS: OpenBLAS on the CPU, cuBLAS on the GPU. Transposed
// and strided views are passed as BLAS transposes and leading dimensions, never copied.
#pragma once

#include "core/tensor/tensor.h"

namespace lm::ops {

// c[i] = alpha * a[i] @ b[i] + beta * c[i] for 3-D views a [B|1, m, k], b [B|1, k, n],
// c [B, m, n]; a batch size of 1 in a or b broadcasts it over the batch.
void gemm_into(
    const Tensor& c, const Tensor& a, const Tensor& b, double alpha = 1.0, double beta = 0.0);
// y[rows, out] = x[rows, in] @ weight[out, in]^T + bias[out] (bias optional), all contiguous.
// On the CPU the bias is added as each output tile is stored, not in a pass of its own.
void linear_into(const Tensor& y, const Tensor& x, const Tensor& weight, const Tensor& bias);
// torch.matmul semantics: 1-D operands are promoted and the added dim removed, batch dims
// broadcast; [.., m, k] @ [k, n] with a contiguous left side is one GEMM of (.. * m) rows.
Tensor matmul(const Tensor& a, const Tensor& b);
// Floating-point operations (2 m n k per product) of every GEMM since the process started
// (benchmarks report achieved GFLOP/s from it).
int64_t gemm_flops_total();

}  // namespace lm::ops
