// CUDA launchers of the blocked exact softmax attention. Like ops/attention_cpu.cpp, the softmax
// attention keeps only the output and the row log-sum-exp, and recomputes probabilities block by
// block in backward; here a block is R query rows of every (batch, head) slice at once:
//   scores = scale Q_blk K^T (cuBLAS, batched over slices) -> row kernel (softmax, lse) ->
//   dropout -> out_blk = P V (cuBLAS)
// backward: P from lse, dP = dO_blk V^T, dV += P~^T dO_blk, dS = P (dP - rowsum(P dP)),
//   dQ_blk = scale dS K, dK += scale dS^T Q_blk.
// Row kernels: v1 one thread per row on kernels/attention.h, v2 one warp per row on
// kernels/row_parts.h. Attention runs in float32 or float64 only.
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/cuda/kernel_version.h"
#include "core/kernels/attention.h"
#include "core/kernels/row_parts.h"
#include "core/ops/attention_backend.h"
#include "core/ops/dispatch.h"
#include "core/ops/matmul_backend.h"
#include "core/ops/matmul_cuda_rm.h"

namespace lm::cuda {

using kernels::MaxOp;
using kernels::SumOp;

namespace {

// ---- CUDA kernels: attention rows. Row q of a block is (slice s = q / R, row i = q % R).

struct RowBlock {
    int64_t rows;  // S * R
    int64_t R, N, H, r0;
};

template <class T>
__global__ void key_bias_kernel(T* bias, const T* mask, int64_t count, T mask_value) {
    LM_GRID_STRIDE_LOOP(e, count) {
        bias[e] = mask_value * (T(1) - mask[e]);
    }
}

template <class T>
__device__ __forceinline__ const T* bias_of(const T* bias, const RowBlock& b, int64_t q) {
    return bias + (q / b.R / b.H) * b.N;
}
__device__ __forceinline__ int64_t lse_index(const RowBlock& b, int64_t q) {
    return (q / b.R) * b.N + b.r0 + q % b.R;
}

template <class T>
__global__ void softmax_rows_v1(T* P, T* lse, const T* bias, RowBlock b) {
    LM_GRID_STRIDE_LOOP(q, b.rows) {
        lse[lse_index(b, q)] =
            kernels::attention_row_softmax(P + q * b.N, bias_of(bias, b, q), b.N);
    }
}

template <class T>
__global__ void softmax_rows_v2(T* P, T* lse, const T* bias, RowBlock b) {
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(q, b.rows) {
        T* row = P + q * b.N;
        const T mx = warp_reduce(
            kernels::lane_add_bias_max(row, bias_of(bias, b, q), b.N, lane, kWarpSize), MaxOp{});
        const T sum =
            warp_reduce(kernels::lane_exp_sum_inplace(row, b.N, mx, lane, kWarpSize), SumOp{});
        kernels::lane_scale_inplace(row, b.N, T(1) / sum, lane, kWarpSize);
        if (lane == 0) lse[lse_index(b, q)] = mx + kernels::hd_log(sum);
    }
}

template <class T>
__global__ void probs_rows_v1(T* P, const T* lse, const T* bias, RowBlock b) {
    LM_GRID_STRIDE_LOOP(q, b.rows) {
        kernels::attention_row_probs(P + q * b.N, bias_of(bias, b, q), lse[lse_index(b, q)], b.N);
    }
}

template <class T>
__global__ void probs_rows_v2(T* P, const T* lse, const T* bias, RowBlock b) {
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(q, b.rows) {
        kernels::lane_probs_from_lse(P + q * b.N, bias_of(bias, b, q), lse[lse_index(b, q)], b.N,
                                     lane, kWarpSize);
    }
}

// dst = keep ? src / (1 - p) : 0 for every element of the block (dst may be src).
template <class T>
__global__ void dropout_block_kernel(
    T* dst, const T* src, RowBlock b, uint64_t seed, uint64_t offset, float p, T scale) {
    LM_GRID_STRIDE_LOOP(e, b.rows * b.N) {
        const int64_t q = e / b.N, j = e % b.N;
        const uint64_t idx = static_cast<uint64_t>(lse_index(b, q) * b.N + j);
        dst[e] = kernels::attention_keep(seed, offset, idx, p) ? src[e] * scale : T(0);
    }
}

// dS = P (dP - rowsum(P dP)) in place on dP.
template <class T>
__global__ void softmax_grad_rows_v1(const T* P, T* dP, RowBlock b) {
    LM_GRID_STRIDE_LOOP(q, b.rows) {
        const T* p = P + q * b.N;
        T* g = dP + q * b.N;
        T dot = 0;
        for (int64_t j = 0; j < b.N; ++j)
            dot += p[j] * g[j];
        for (int64_t j = 0; j < b.N; ++j)
            g[j] = p[j] * (g[j] - dot);
    }
}

template <class T>
__global__ void softmax_grad_rows_v2(const T* P, T* dP, RowBlock b) {
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(q, b.rows) {
        const T* p = P + q * b.N;
        T* g = dP + q * b.N;
        const T dot = warp_reduce(kernels::lane_dot<T>(p, g, b.N, lane, kWarpSize), SumOp{});
        kernels::lane_softmax_grad_inplace(p, g, b.N, dot, lane, kWarpSize);
    }
}

}  // namespace

// ---- launchers

namespace {
// The row steps of the blocked softmax attention.
namespace attention_rows {

template <class T>
void key_bias(const Tensor& bias, const Tensor& mask, double mask_value, cudaStream_t st) {
    const LaunchDims d = linear_launch(mask.numel());
    key_bias_kernel<T><<<grid_of(d), d.threads, 0, st>>>(ptr<T>(bias), ptr<const T>(mask),
                                                         mask.numel(), static_cast<T>(mask_value));
    LM_CUDA_CHECK(cudaGetLastError());
}

bool v1() {
    return row_kernels() == RowKernels::V1;
}

template <class T>
void softmax(T* P, T* lse, const T* bias, const RowBlock& b, cudaStream_t st) {
    const LaunchDims d = v1() ? thread_rows_launch(b.rows) : warp_rows_launch(b.rows);
    if (v1())
        softmax_rows_v1<T><<<grid_of(d), d.threads, 0, st>>>(P, lse, bias, b);
    else
        softmax_rows_v2<T><<<grid_of(d), d.threads, 0, st>>>(P, lse, bias, b);
    LM_CUDA_CHECK(cudaGetLastError());
}

template <class T>
void probs(T* P, const T* lse, const T* bias, const RowBlock& b, cudaStream_t st) {
    const LaunchDims d = v1() ? thread_rows_launch(b.rows) : warp_rows_launch(b.rows);
    if (v1())
        probs_rows_v1<T><<<grid_of(d), d.threads, 0, st>>>(P, lse, bias, b);
    else
        probs_rows_v2<T><<<grid_of(d), d.threads, 0, st>>>(P, lse, bias, b);
    LM_CUDA_CHECK(cudaGetLastError());
}

template <class T>
void dropout(T* dst,
             const T* src,
             const RowBlock& b,
             const ops::SoftmaxAttentionConfig& cfg,
             cudaStream_t st) {
    const LaunchDims d = linear_launch(b.rows * b.N);
    dropout_block_kernel<T><<<grid_of(d), d.threads, 0, st>>>(
        dst, src, b, cfg.seed, cfg.offset, static_cast<float>(cfg.dropout),
        static_cast<T>(1.0 / (1.0 - cfg.dropout)));
    LM_CUDA_CHECK(cudaGetLastError());
}

template <class T>
void softmax_grad(const T* P, T* dP, const RowBlock& b, cudaStream_t st) {
    const LaunchDims d = v1() ? thread_rows_launch(b.rows) : warp_rows_launch(b.rows);
    if (v1())
        softmax_grad_rows_v1<T><<<grid_of(d), d.threads, 0, st>>>(P, dP, b);
    else
        softmax_grad_rows_v2<T><<<grid_of(d), d.threads, 0, st>>>(P, dP, b);
    LM_CUDA_CHECK(cudaGetLastError());
}

}  // namespace attention_rows

// Row-major batched product over the S slices (matmul_cuda_rm.h): C = alpha op(A) op(B) + beta C.
template <class T>
void gemm_slices(bool ta,
                 bool tb,
                 int64_t M,
                 int64_t N,
                 int64_t K,
                 const T* a,
                 int64_t lda,
                 int64_t sa,
                 const T* b,
                 int64_t ldb,
                 int64_t sb,
                 T* c,
                 int64_t ldc,
                 int64_t sc,
                 int64_t S,
                 double alpha,
                 double beta) {
    RowMajorGemm g;
    g.trans_a = ta, g.trans_b = tb, g.M = M, g.N = N, g.K = K;
    g.lda = lda, g.ldb = ldb, g.ldc = ldc;
    g.batch = S, g.stride_a = sa, g.stride_b = sb, g.stride_c = sc;
    gemm(gemm_rm_plan(g), dtype_of<T>, b, a, c, alpha, beta);
}

struct Shape4 {
    int64_t B, H, S, N, D, R;
};

Shape4 shape_of(const Tensor& q) {
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), D = q.size(3);
    return {B, H, B * H, N, D, attention_block_rows(B * H, N, kAttentionScoreBudget)};
}

template <class T>
void forward_typed(const Tensor& out,
                   const Tensor& lse,
                   const Tensor& q,
                   const Tensor& k,
                   const Tensor& v,
                   const Tensor& mask,
                   const ops::SoftmaxAttentionConfig& cfg,
                   cudaStream_t st) {
    const Shape4 z = shape_of(q);
    const int64_t N = z.N, D = z.D, ND = N * D;
    const Tensor bias = empty({z.B, N}, q.dtype(), q.device());
    attention_rows::key_bias<T>(bias, mask, cfg.mask_value, st);
    const Tensor Pt = empty({z.S * z.R * N}, q.dtype(), q.device());
    T* P = ptr<T>(Pt);
    for (int64_t r0 = 0; r0 < N; r0 += z.R) {
        const int64_t R = std::min(z.R, N - r0);
        const RowBlock b{z.S * R, R, N, z.H, r0};
        gemm_slices<T>(false, true, R, N, D, ptr<const T>(q) + r0 * D, D, ND, ptr<const T>(k), D,
                       ND, P, N, R * N, z.S, cfg.scale, 0.0);
        attention_rows::softmax<T>(P, ptr<T>(lse), ptr<const T>(bias), b, st);
        if (cfg.dropout > 0) attention_rows::dropout<T>(P, P, b, cfg, st);
        gemm_slices<T>(false, false, R, D, N, P, N, R * N, ptr<const T>(v), D, ND,
                       ptr<T>(out) + r0 * D, D, ND, z.S, 1.0, 0.0);
    }
}

struct Grads {
    const Tensor &dq, &dk, &dv;
};

template <class T>
void backward_typed(const Grads& g,
                    const Tensor& q,
                    const Tensor& k,
                    const Tensor& v,
                    const Tensor& mask,
                    const Tensor& lse,
                    const Tensor& dout,
                    const ops::SoftmaxAttentionConfig& cfg,
                    cudaStream_t st) {
    const Shape4 z = shape_of(q);
    const int64_t N = z.N, D = z.D, ND = N * D;
    const Tensor bias = empty({z.B, N}, q.dtype(), q.device());
    attention_rows::key_bias<T>(bias, mask, cfg.mask_value, st);
    LM_CUDA_CHECK(cudaMemsetAsync(g.dk.raw_data(), 0, g.dk.nbytes(), st));
    LM_CUDA_CHECK(cudaMemsetAsync(g.dv.raw_data(), 0, g.dv.nbytes(), st));
    const int64_t ws = z.S * z.R * N;
    const Tensor Pt = empty({ws}, q.dtype(), q.device()), dPt = empty({ws}, q.dtype(), q.device());
    const Tensor Pdt = empty({cfg.dropout > 0 ? ws : 0}, q.dtype(), q.device());
    T *P = ptr<T>(Pt), *dP = ptr<T>(dPt), *Pd = ptr<T>(Pdt);
    const T *qp = ptr<const T>(q), *kp = ptr<const T>(k), *vp = ptr<const T>(v);
    const T* dO = ptr<const T>(dout);
    for (int64_t r0 = 0; r0 < N; r0 += z.R) {
        const int64_t R = std::min(z.R, N - r0);
        const RowBlock b{z.S * R, R, N, z.H, r0};
        gemm_slices<T>(false, true, R, N, D, qp + r0 * D, D, ND, kp, D, ND, P, N, R * N, z.S,
                       cfg.scale, 0.0);
        attention_rows::probs<T>(P, ptr<const T>(lse), ptr<const T>(bias), b, st);
        gemm_slices<T>(false, true, R, N, D, dO + r0 * D, D, ND, vp, D, ND, dP, N, R * N, z.S, 1.0,
                       0.0);
        const T* Pv = P;  // the probabilities V was weighted with (after dropout)
        if (cfg.dropout > 0) {
            attention_rows::dropout<T>(Pd, P, b, cfg, st);
            attention_rows::dropout<T>(dP, dP, b, cfg, st);
            Pv = Pd;
        }
        gemm_slices<T>(true, false, N, D, R, Pv, N, R * N, dO + r0 * D, D, ND, ptr<T>(g.dv), D, ND,
                       z.S, 1.0, 1.0);
        attention_rows::softmax_grad<T>(P, dP, b, st);
        gemm_slices<T>(false, false, R, D, N, dP, N, R * N, kp, D, ND, ptr<T>(g.dq) + r0 * D, D, ND,
                       z.S, cfg.scale, 0.0);
        gemm_slices<T>(true, false, N, D, R, dP, N, R * N, qp + r0 * D, D, ND, ptr<T>(g.dk), D, ND,
                       z.S, cfg.scale, 1.0);
    }
}

}  // namespace

void softmax_attention_forward(const Tensor& out,
                               const Tensor& lse,
                               const Tensor& q,
                               const Tensor& k,
                               const Tensor& v,
                               const Tensor& mask,
                               const ops::SoftmaxAttentionConfig& cfg) {
    if (q.numel() == 0) return;
    const DeviceScope scope(q.device());
    dispatch_gpu_full(q.dtype(), "softmax attention", [&](auto tag) {
        forward_typed<decltype(tag)>(out, lse, q, k, v, mask, cfg, scope.stream());
    });
}

void softmax_attention_backward(const Tensor& dq,
                                const Tensor& dk,
                                const Tensor& dv,
                                const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const Tensor& /*out*/,
                                const Tensor& lse,
                                const Tensor& dout,
                                const ops::SoftmaxAttentionConfig& cfg) {
    if (q.numel() == 0) return;
    const DeviceScope scope(q.device());
    dispatch_gpu_full(q.dtype(), "softmax attention backward", [&](auto tag) {
        backward_typed<decltype(tag)>({dq, dk, dv}, q, k, v, mask, lse, dout, cfg, scope.stream());
    });
}

}  // namespace lm::cuda
