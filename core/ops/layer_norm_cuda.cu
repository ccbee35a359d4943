// CUDA launchers of layer norm over rows (v1: one thread per row on kernels/layer_norm.h's row
// functions; v2, the default: one warp per row on its lane pieces; see softmax_cuda.cu). The
// parameter gradients are column sums over fixed row chunks (deterministic).
#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/cuda/kernel_version.h"
#include "core/kernels/layer_norm.h"
#include "core/ops/dispatch.h"
#include "core/ops/layer_norm_backend.h"

namespace lm::cuda {

using kernels::MaxOp;
using kernels::SumOp;

namespace {

template <class T>
__global__ void layernorm_v1(
    T* y, T* mean, T* rstd, const T* x, const T* w, const T* b, int64_t rows, int64_t n, T eps) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        kernels::layernorm_row_forward(x + r * n, w, b, y + r * n, mean + r, rstd + r, n, eps);
    }
}

template <class S>
__global__ void layernorm_v2(S* y,
                             S* mean,
                             S* rstd,
                             const S* x,
                             const S* w,
                             const S* b,
                             int64_t rows,
                             int64_t n,
                             Compute<S> eps) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        const S* xr = x + r * n;
        const C mu = warp_reduce(kernels::lane_sum<C>(xr, n, lane, kWarpSize), SumOp{}) / C(n);
        const C var =
            warp_reduce(kernels::lane_sq_dev<C>(xr, n, mu, lane, kWarpSize), SumOp{}) / C(n);
        const C rs = C(1) / kernels::hd_sqrt(var + eps);
        kernels::lane_layernorm_write<C>(xr, w, b, y + r * n, n, mu, rs, lane, kWarpSize);
        if (lane == 0) {
            kernels::st(mean, r, mu);
            kernels::st(rstd, r, rs);
        }
    }
}

template <class T>
__global__ void layernorm_backward_v1(T* dx,
                                      const T* x,
                                      const T* w,
                                      const T* mean,
                                      const T* rstd,
                                      const T* dy,
                                      int64_t rows,
                                      int64_t n) {
    LM_GRID_STRIDE_LOOP(r, rows) {
        kernels::layernorm_row_backward<T>(x + r * n, w, dy + r * n, mean[r], rstd[r], dx + r * n,
                                           nullptr, nullptr, n);
    }
}

template <class S>
__global__ void layernorm_backward_v2(S* dx,
                                      const S* x,
                                      const S* w,
                                      const S* mean,
                                      const S* rstd,
                                      const S* dy,
                                      int64_t rows,
                                      int64_t n) {
    using C = Compute<S>;
    const int lane = lane_id();
    LM_WARP_ROW_LOOP(r, rows) {
        const S *xr = x + r * n, *gr = dy + r * n;
        const C mu = kernels::ld<C>(mean, r), rs = kernels::ld<C>(rstd, r);
        kernels::LnGradSums<C> sums =
            kernels::lane_layernorm_grad_sums<C>(xr, w, gr, n, mu, rs, lane, kWarpSize);
        sums.g = warp_reduce(sums.g, SumOp{});
        sums.gx = warp_reduce(sums.gx, SumOp{});
        kernels::lane_layernorm_dx_write<C>(xr, w, gr, dx + r * n, n, mu, rs, sums, lane,
                                            kWarpSize);
    }
}

// Partials over row chunks of dw[c] = sum_r dy xhat and db[c] = sum_r dy; block (32, 8).
template <class S>
__global__ void layernorm_param_partials(Compute<S>* pw,
                                         Compute<S>* pb,
                                         const S* x,
                                         const S* mean,
                                         const S* rstd,
                                         const S* dy,
                                         int64_t rows,
                                         int64_t n) {
    using C = Compute<S>;
    __shared__ C sw[8][kColumnTile], sb[8][kColumnTile];
    const int64_t col = blockIdx.x * kColumnTile + threadIdx.x, chunk = blockIdx.y;
    C aw = 0, ab = 0;
    if (col < n) {
        for (int64_t r = chunk_row_begin(chunk) + threadIdx.y; r < chunk_row_end(chunk, rows);
             r += blockDim.y) {
            const C g = kernels::ld<C>(dy, r * n + col);
            aw += g * (kernels::ld<C>(x, r * n + col) - kernels::ld<C>(mean, r)) *
                  kernels::ld<C>(rstd, r);
            ab += g;
        }
    }
    sw[threadIdx.y][threadIdx.x] = aw;
    sb[threadIdx.y][threadIdx.x] = ab;
    __syncthreads();
    if (threadIdx.y == 0 && col < n) {
        C tw = 0, tb = 0;
        for (int k = 0; k < static_cast<int>(blockDim.y); ++k) {
            tw += sw[k][threadIdx.x];
            tb += sb[k][threadIdx.x];
        }
        pw[chunk * n + col] = tw;
        pb[chunk * n + col] = tb;
    }
}

template <class S>
__global__ void layernorm_param_finish(
    S* dw, S* db, const Compute<S>* pw, const Compute<S>* pb, int64_t chunks, int64_t n) {
    using C = Compute<S>;
    LM_GRID_STRIDE_LOOP(c, n) {
        C tw = 0, tb = 0;
        for (int64_t k = 0; k < chunks; ++k) {
            tw += pw[k * n + c];
            tb += pb[k * n + c];
        }
        if (dw) kernels::st(dw, c, tw);
        if (db) kernels::st(db, c, tb);
    }
}

// ---- launchers

template <class S>
const S* opt_ptr(const Tensor& t) {
    return t.defined() ? ptr<const S>(t) : nullptr;
}

template <class S>
void layernorm_param_grads(const Tensor& dw,
                           const Tensor& db,
                           const Tensor& x,
                           const Tensor& mean,
                           const Tensor& rstd,
                           const Tensor& dy,
                           int64_t rows,
                           int64_t n,
                           cudaStream_t stream) {
    using C = Compute<S>;
    const ColumnSumGrid g = column_sum_grid(rows, n);
    const DType acc = sizeof(C) == 8 ? DType::Float64 : DType::Float32;
    const Tensor pw = empty({g.chunks, n}, acc, x.device()),
                 pb = empty({g.chunks, n}, acc, x.device());
    const dim3 grid(static_cast<unsigned>(g.col_tiles), static_cast<unsigned>(g.chunks));
    layernorm_param_partials<S><<<grid, dim3(kColumnTile, 8), 0, stream>>>(
        ptr<C>(pw), ptr<C>(pb), ptr<const S>(x), ptr<const S>(mean), ptr<const S>(rstd),
        ptr<const S>(dy), rows, n);
    LM_CUDA_CHECK(cudaGetLastError());
    const LaunchDims d = linear_launch(n);
    layernorm_param_finish<S><<<grid_of(d), d.threads, 0, stream>>>(
        dw.defined() ? ptr<S>(dw) : nullptr, db.defined() ? ptr<S>(db) : nullptr, ptr<const C>(pw),
        ptr<const C>(pb), g.chunks, n);
    LM_CUDA_CHECK(cudaGetLastError());
}

}  // namespace

void layer_norm_rows(const Tensor& y,
                     const Tensor& mean,
                     const Tensor& rstd,
                     const Tensor& x,
                     const Tensor& w,
                     const Tensor& b,
                     double eps) {
    const int64_t n = x.size(-1), rows = x.numel() / n;
    if (rows == 0) return;
    const DeviceScope scope(x.device());
    const bool v1 = use_row_kernels_v1(x.dtype());
    dispatch_gpu_floating(x.dtype(), "layer_norm", [&](auto tag) {
        using S = decltype(tag);
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                layernorm_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<S>(y), ptr<S>(mean), ptr<S>(rstd), ptr<const S>(x), opt_ptr<S>(w),
                    opt_ptr<S>(b), rows, n, static_cast<S>(eps));
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        layernorm_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<S>(y), ptr<S>(mean), ptr<S>(rstd), ptr<const S>(x), opt_ptr<S>(w), opt_ptr<S>(b),
            rows, n, static_cast<Compute<S>>(eps));
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

void layer_norm_rows_backward(const Tensor& dx,
                              const Tensor& dw,
                              const Tensor& db,
                              const Tensor& x,
                              const Tensor& w,
                              const Tensor& mean,
                              const Tensor& rstd,
                              const Tensor& dy) {
    const int64_t n = x.size(-1), rows = x.numel() / n;
    const DeviceScope scope(x.device());
    const bool v1 = use_row_kernels_v1(x.dtype());
    dispatch_gpu_floating(x.dtype(), "layer_norm backward", [&](auto tag) {
        using S = decltype(tag);
        if (dw.defined() || db.defined()) {
            layernorm_param_grads<S>(dw, db, x, mean, rstd, dy, rows, n, scope.stream());
        }
        if (rows == 0) return;
        const LaunchDims d = v1 ? thread_rows_launch(rows) : warp_rows_launch(rows);
        if constexpr (std::is_floating_point_v<S>) {
            if (v1) {
                layernorm_backward_v1<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
                    ptr<S>(dx), ptr<const S>(x), opt_ptr<S>(w), ptr<const S>(mean),
                    ptr<const S>(rstd), ptr<const S>(dy), rows, n);
                LM_CUDA_CHECK(cudaGetLastError());
                return;
            }
        }
        layernorm_backward_v2<S><<<grid_of(d), d.threads, 0, scope.stream()>>>(
            ptr<S>(dx), ptr<const S>(x), opt_ptr<S>(w), ptr<const S>(mean), ptr<const S>(rstd),
            ptr<const S>(dy), rows, n);
        LM_CUDA_CHECK(cudaGetLastError());
    });
}

}  // namespace lm::cuda
