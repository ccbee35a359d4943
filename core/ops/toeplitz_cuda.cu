// CUDA Toeplitz products through cuFFT, mirroring ops/toeplitz_cpu.cpp: C x is the first n rows
// of the circular convolution of x (zero-padded to L rows) with gamma (gamma_k = c_{-k} for
// k < n, gamma_{L-k} = c_k), so y = irfft(rfft(gamma) * rfft(x)) / L column by column. Columns
// are laid out as contiguous length-L rows [S * r, L] so one batched R2C / C2R plan transforms all
// of them. The coefficient gradient sums conj(rfft(dy)) rfft(x) over the columns of a slice (one
// thread per frequency, columns in order) and over the slices of a group in order.
#include <cufft.h>

#include "core/cuda/device_utils.cuh"
#include "core/cuda/dispatch_cuda.h"
#include "core/ops/dispatch.h"
#include "core/ops/toeplitz.h"
#include "core/ops/toeplitz_backend.h"

namespace lm::cuda {

namespace {

template <class T>
struct Fft;
template <>
struct Fft<float> {
    using Complex = cufftComplex;
    static constexpr FftKind kR2C = FftKind::R2C_F32, kC2R = FftKind::C2R_F32;
    static void r2c(cufftHandle p, float* in, Complex* out) {
        LM_CUFFT_CHECK(cufftExecR2C(p, in, out));
    }
    static void c2r(cufftHandle p, Complex* in, float* out) {
        LM_CUFFT_CHECK(cufftExecC2R(p, in, out));
    }
};
template <>
struct Fft<double> {
    using Complex = cufftDoubleComplex;
    static constexpr FftKind kR2C = FftKind::R2C_F64, kC2R = FftKind::C2R_F64;
    static void r2c(cufftHandle p, double* in, Complex* out) {
        LM_CUFFT_CHECK(cufftExecD2Z(p, in, out));
    }
    static void c2r(cufftHandle p, Complex* in, double* out) {
        LM_CUFFT_CHECK(cufftExecZ2D(p, in, out));
    }
};

struct Geometry {
    int64_t S, G, n, r, L, F;  // slices, groups, length, columns, FFT length, L / 2 + 1
};

// ---- CUDA kernels

template <class T>
__global__ void gamma_kernel(T* gamma, const T* c, Geometry g, bool transpose) {
    LM_GRID_STRIDE_LOOP(e, g.G * g.L) {
        const int64_t grp = e / g.L, kk = e % g.L;
        int64_t k = 0;  // gamma[kk] = c_{-kk} for kk < n, c_{L - kk} for kk > L - n, else 0
        bool nonzero = true;
        if (kk < g.n)
            k = -kk;
        else if (kk > g.L - g.n)
            k = g.L - kk;
        else
            nonzero = false;
        gamma[e] = nonzero ? c[grp * (2 * g.n - 1) + (transpose ? -k : k) + g.n - 1] : T(0);
    }
}

// cols[s, j, i] = x[s, i, j] for i < n, 0 for n <= i < L.
template <class T>
__global__ void columns_kernel(T* cols, const T* x, Geometry g) {
    LM_GRID_STRIDE_LOOP(e, g.S * g.r * g.L) {
        const int64_t i = e % g.L, sj = e / g.L, s = sj / g.r, j = sj % g.r;
        cols[e] = i < g.n ? x[(s * g.n + i) * g.r + j] : T(0);
    }
}

template <class C>
__global__ void spectrum_product_kernel(C* freq, const C* spec, Geometry g) {
    LM_GRID_STRIDE_LOOP(e, g.S * g.r * g.F) {
        const int64_t f = e % g.F, s = e / g.F / g.r;
        const C a = freq[e], b = spec[(s % g.G) * g.F + f];
        freq[e] = C{a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x};
    }
}

template <class T>
__global__ void rows_from_columns_kernel(T* y, const T* cols, Geometry g) {
    const T inv_L = T(1) / static_cast<T>(g.L);
    LM_GRID_STRIDE_LOOP(e, g.S * g.n * g.r) {
        const int64_t j = e % g.r, i = e / g.r % g.n, s = e / g.r / g.n;
        y[e] = cols[(s * g.r + j) * g.L + i] * inv_L;
    }
}

// acc[s, f] = sum_j conj(fg[s, j, f]) fx[s, j, f]
template <class C>
__global__ void cross_spectrum_kernel(C* acc, const C* fg, const C* fx, Geometry g) {
    LM_GRID_STRIDE_LOOP(e, g.S * g.F) {
        const int64_t s = e / g.F, f = e % g.F;
        C a{0, 0};
        for (int64_t j = 0; j < g.r; ++j) {
            const C u = fg[(s * g.r + j) * g.F + f], v = fx[(s * g.r + j) * g.F + f];
            a.x += u.x * v.x + u.y * v.y;
            a.y += u.x * v.y - u.y * v.x;
        }
        acc[e] = a;
    }
}

// dc[grp, k + n - 1] = sum over slices s of group grp, in order, of corr[s, (k + L) % L] / L.
template <class T>
__global__ void coeff_grad_kernel(T* dc, const T* corr, Geometry g) {
    const int64_t K = 2 * g.n - 1;
    LM_GRID_STRIDE_LOOP(e, g.G * K) {
        const int64_t grp = e / K, k = e % K - (g.n - 1);
        T acc = 0;
        for (int64_t s = grp; s < g.S; s += g.G) {
            acc += corr[s * g.L + (k + g.L) % g.L] / static_cast<T>(g.L);
        }
        dc[e] = acc;
    }
}

// ---- launchers

template <class T, class K, class... Args>
void launch(K kernel, int64_t n, cudaStream_t st, Args... args) {
    if (n == 0) return;
    const LaunchDims d = linear_launch(n);
    kernel<<<grid_of(d), d.threads, 0, st>>>(args...);
    LM_CUDA_CHECK(cudaGetLastError());
}

Geometry geometry(const Tensor& x, int64_t G) {
    Geometry g{x.size(0), G, x.size(1), x.size(2), 0, 0};
    g.L = ops::toeplitz_fft_size(g.n);
    g.F = g.L / 2 + 1;
    return g;
}

// rfft of the [rows, L] real rows into [rows, F] complex values (a tensor of 2F reals per row).
template <class T>
Tensor rfft_rows(const Tensor& rows_real, int64_t rows, const Geometry& g, int device) {
    using C = typename Fft<T>::Complex;
    Tensor out = empty({rows, 2 * g.F}, rows_real.dtype(), rows_real.device());
    Fft<T>::r2c(fft_plan(device, Fft<T>::kR2C, g.L, rows), ptr<T>(rows_real), ptr<C>(out));
    return out;
}

template <class T>
Tensor columns(const Tensor& x, const Geometry& g, cudaStream_t st) {
    Tensor cols = empty({g.S * g.r, g.L}, x.dtype(), x.device());
    launch<T>(columns_kernel<T>, g.S * g.r * g.L, st, ptr<T>(cols), ptr<const T>(x), g);
    return cols;
}

}  // namespace

void toeplitz_matmul(const Tensor& y, const Tensor& c, const Tensor& x, bool transpose) {
    const Geometry g = geometry(x, c.size(0));
    const DeviceScope scope(x.device());
    const cudaStream_t st = scope.stream();
    dispatch_gpu_full(x.dtype(), "toeplitz_matmul", [&](auto tag) {
        using T = decltype(tag);
        using C = typename Fft<T>::Complex;
        const Tensor gamma = empty({g.G, g.L}, x.dtype(), x.device());
        launch<T>(gamma_kernel<T>, g.G * g.L, st, ptr<T>(gamma), ptr<const T>(c), g, transpose);
        const Tensor spec = rfft_rows<T>(gamma, g.G, g, scope.index());
        if (g.r == 0) return;
        Tensor freq = rfft_rows<T>(columns<T>(x, g, st), g.S * g.r, g, scope.index());
        launch<T>(spectrum_product_kernel<C>, g.S * g.r * g.F, st, ptr<C>(freq), ptr<const C>(spec),
                  g);
        const Tensor back = empty({g.S * g.r, g.L}, x.dtype(), x.device());
        Fft<T>::c2r(fft_plan(scope.index(), Fft<T>::kC2R, g.L, g.S * g.r), ptr<C>(freq),
                    ptr<T>(back));
        launch<T>(rows_from_columns_kernel<T>, g.S * g.n * g.r, st, ptr<T>(y), ptr<const T>(back),
                  g);
    });
}

void toeplitz_coeff_grad(const Tensor& dc, const Tensor& dy, const Tensor& x) {
    const Geometry g = geometry(x, dc.size(0));
    const DeviceScope scope(x.device());
    const cudaStream_t st = scope.stream();
    dispatch_gpu_full(x.dtype(), "toeplitz_coeff_grad", [&](auto tag) {
        using T = decltype(tag);
        using C = typename Fft<T>::Complex;
        const Tensor fx = rfft_rows<T>(columns<T>(x, g, st), g.S * g.r, g, scope.index());
        const Tensor fg = rfft_rows<T>(columns<T>(dy, g, st), g.S * g.r, g, scope.index());
        Tensor acc = empty({g.S, 2 * g.F}, x.dtype(), x.device());
        launch<T>(cross_spectrum_kernel<C>, g.S * g.F, st, ptr<C>(acc), ptr<const C>(fg),
                  ptr<const C>(fx), g);
        const Tensor corr = empty({g.S, g.L}, x.dtype(), x.device());
        Fft<T>::c2r(fft_plan(scope.index(), Fft<T>::kC2R, g.L, g.S), ptr<C>(acc), ptr<T>(corr));
        launch<T>(coeff_grad_kernel<T>, g.G * (2 * g.n - 1), st, ptr<T>(dc), ptr<const T>(corr), g);
    });
}

}  // namespace lm::cuda
