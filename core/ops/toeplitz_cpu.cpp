// CPU Toeplitz products with FFTW real transforms. C x is the first n rows of the circular
// convolution of x (zero-padded to L >= 2n - 1 rows) with the length-L vector
//   gamma_k = c_{-k} (k = 0..n-1), gamma_{L-k} = c_{k} (k = 1..n-1), 0 elsewhere,
// i.e. y = irfft(rfft(gamma) * rfft(x)) column by column. Columns are transformed in chunks of
// kChunk (FFTW's "many" interface with interleaved columns) to bound the scratch memory.
//
// FFTW's planner is not thread-safe: plans are created once per (dtype, direction, L, columns)
// under a mutex and kept for the process; execution uses the thread-safe new-array interface on
// 64-byte aligned buffers (so their alignment always matches the planning buffers).
#include <fftw3.h>

#include <complex>
#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "core/base/parallel.h"
#include "core/ops/dispatch.h"
#include "core/ops/toeplitz.h"
#include "core/ops/toeplitz_backend.h"

namespace lm::cpu {

namespace {

constexpr int64_t kChunk = 64;  // columns per transform batch

// Scratch for FFTW, 64-byte aligned: every buffer (the planning ones included) then has the
// same alignment, so a cached plan's SIMD choices hold for every execution and results do not
// depend on where the allocator happened to put a buffer.
template <class U>
class FftwBuffer {
  public:
    explicit FftwBuffer(int64_t n) {
        const size_t bytes =
            (sizeof(U) * static_cast<size_t>(std::max<int64_t>(n, 1)) + 63) / 64 * 64;
        p_ = static_cast<U*>(std::aligned_alloc(64, bytes));
        LM_CHECK(p_ != nullptr, "toeplitz: out of memory for FFT scratch of ", n, " elements");
    }
    ~FftwBuffer() { std::free(p_); }
    FftwBuffer(const FftwBuffer&) = delete;
    FftwBuffer& operator=(const FftwBuffer&) = delete;
    U* get() const { return p_; }

  private:
    U* p_;
};

template <class T>
struct Fftw;

template <>
struct Fftw<double> {
    using Plan = fftw_plan;
    static Plan plan(bool forward, int L, int cols, double* re, std::complex<double>* cx) {
        int n[1] = {L};
        auto* c = reinterpret_cast<fftw_complex*>(cx);
        return forward ? fftw_plan_many_dft_r2c(1, n, cols, re, nullptr, cols, 1, c, nullptr, cols,
                                                1, FFTW_ESTIMATE)
                       : fftw_plan_many_dft_c2r(1, n, cols, c, nullptr, cols, 1, re, nullptr, cols,
                                                1, FFTW_ESTIMATE);
    }
    static void r2c(Plan p, double* in, std::complex<double>* out) {
        fftw_execute_dft_r2c(p, in, reinterpret_cast<fftw_complex*>(out));
    }
    static void c2r(Plan p, std::complex<double>* in, double* out) {
        fftw_execute_dft_c2r(p, reinterpret_cast<fftw_complex*>(in), out);
    }
};

template <>
struct Fftw<float> {
    using Plan = fftwf_plan;
    static Plan plan(bool forward, int L, int cols, float* re, std::complex<float>* cx) {
        int n[1] = {L};
        auto* c = reinterpret_cast<fftwf_complex*>(cx);
        return forward ? fftwf_plan_many_dft_r2c(1, n, cols, re, nullptr, cols, 1, c, nullptr, cols,
                                                 1, FFTW_ESTIMATE)
                       : fftwf_plan_many_dft_c2r(1, n, cols, c, nullptr, cols, 1, re, nullptr, cols,
                                                 1, FFTW_ESTIMATE);
    }
    static void r2c(Plan p, float* in, std::complex<float>* out) {
        fftwf_execute_dft_r2c(p, in, reinterpret_cast<fftwf_complex*>(out));
    }
    static void c2r(Plan p, std::complex<float>* in, float* out) {
        fftwf_execute_dft_c2r(p, reinterpret_cast<fftwf_complex*>(in), out);
    }
};

std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}

// The cached plan transforming `cols` interleaved columns of length L (forward: r2c).
template <class T>
typename Fftw<T>::Plan get_plan(bool forward, int64_t L, int64_t cols) {
    // Plans live for the whole process. The map is never destroyed so the plans stay reachable
    // (LeakSanitizer reported them once a static map's destructor had dropped the pointers), and
    // no plan is destroyed while a late static destructor might still run a transform.
    static auto& cache = *new std::map<std::tuple<bool, int64_t, int64_t>, typename Fftw<T>::Plan>;
    std::lock_guard<std::mutex> lock(planner_mutex());
    const auto key = std::make_tuple(forward, L, cols);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    FftwBuffer<T> re(L * cols);
    FftwBuffer<std::complex<T>> cx((L / 2 + 1) * cols);
    auto plan =
        Fftw<T>::plan(forward, static_cast<int>(L), static_cast<int>(cols), re.get(), cx.get());
    LM_CHECK(plan != nullptr, "toeplitz: FFTW could not plan a length-", L, " transform");
    cache.emplace(key, plan);
    return plan;
}

// Geometry shared by both products.
struct Geometry {
    int64_t S, G, n, r, L, F;  // slices, groups, length, columns, FFT length, L / 2 + 1
    int64_t chunks() const { return (r + kChunk - 1) / kChunk; }
    int64_t width(int64_t chunk) const { return std::min(kChunk, r - chunk * kChunk); }
    // Tasks per thread so that small problems stay on one thread (a parallel region costs more
    // than their transforms): about 64k transformed values per thread at least.
    int64_t grain(int64_t values_per_task) const {
        return std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(1, values_per_task));
    }
};

Geometry geometry(const Tensor& x, int64_t G) {
    Geometry g{x.size(0), G, x.size(1), x.size(2), 0, 0};
    g.L = ops::toeplitz_fft_size(g.n);
    g.F = g.L / 2 + 1;
    return g;
}

// rfft of each group's gamma vector: [G, F].
template <class T>
std::vector<std::complex<T>> coefficient_spectra(const T* c, const Geometry& g, bool transpose) {
    std::vector<std::complex<T>> spec(static_cast<size_t>(g.G * g.F));
    FftwBuffer<T> gamma(g.L);
    FftwBuffer<std::complex<T>> out(g.F);
    const auto plan = get_plan<T>(true, g.L, 1);
    for (int64_t grp = 0; grp < g.G; ++grp) {
        const T* cg = c + grp * (2 * g.n - 1);
        auto coef = [&](int64_t k) { return cg[(transpose ? -k : k) + g.n - 1]; };  // c_k
        std::fill(gamma.get(), gamma.get() + g.L, T(0));
        for (int64_t k = 0; k < g.n; ++k)
            gamma.get()[k] = coef(-k);
        for (int64_t k = 1; k < g.n; ++k)
            gamma.get()[g.L - k] = coef(k);
        Fftw<T>::r2c(plan, gamma.get(), out.get());
        std::copy(out.get(), out.get() + g.F, spec.begin() + grp * g.F);
    }
    return spec;
}

// rfft of columns [c0, c0 + w) of slice x [n, r], zero-padded to L rows, into `freq` [F, w].
template <class T>
void column_rfft(
    const T* x, const Geometry& g, int64_t c0, int64_t w, T* buf, std::complex<T>* freq) {
    for (int64_t i = 0; i < g.n; ++i) {
        std::copy(x + i * g.r + c0, x + i * g.r + c0 + w, buf + i * w);
    }
    std::fill(buf + g.n * w, buf + g.L * w, T(0));
    Fftw<T>::r2c(get_plan<T>(true, g.L, w), buf, freq);
}

}  // namespace

void toeplitz_matmul(const Tensor& y, const Tensor& c, const Tensor& x, bool transpose) {
    const Geometry g = geometry(x, c.size(0));
    dispatch_floating(x.dtype(), "toeplitz_matmul", [&](auto tag) {
        using T = decltype(tag);
        const auto spec = coefficient_spectra<T>(c.data<T>(), g, transpose);
        const T* xp = x.data<T>();
        T* yp = y.data<T>();
        const T inv_L = T(1) / static_cast<T>(g.L);
        parallel_for(0, g.S * g.chunks(), g.grain(g.L * std::min(kChunk, g.r)),
                     [&](int64_t b, int64_t e) {
                         FftwBuffer<T> buf(g.L * kChunk);
                         FftwBuffer<std::complex<T>> freq(g.F * kChunk);
                         for (int64_t task = b; task < e; ++task) {
                             const int64_t s = task / g.chunks(), c0 = (task % g.chunks()) * kChunk;
                             const int64_t w = g.width(task % g.chunks());
                             column_rfft(xp + s * g.n * g.r, g, c0, w, buf.get(), freq.get());
                             const std::complex<T>* sp = spec.data() + (s % g.G) * g.F;
                             for (int64_t f = 0; f < g.F; ++f) {
                                 for (int64_t j = 0; j < w; ++j)
                                     freq.get()[f * w + j] *= sp[f];
                             }
                             Fftw<T>::c2r(get_plan<T>(false, g.L, w), freq.get(), buf.get());
                             T* ys = yp + s * g.n * g.r;
                             for (int64_t i = 0; i < g.n; ++i) {
                                 for (int64_t j = 0; j < w; ++j)
                                     ys[i * g.r + c0 + j] = buf.get()[i * w + j] * inv_L;
                             }
                         }
                     });
    });
}

void toeplitz_coeff_grad(const Tensor& dc, const Tensor& dy, const Tensor& x) {
    const Geometry g = geometry(x, dc.size(0));
    const int64_t K = 2 * g.n - 1;
    dispatch_floating(x.dtype(), "toeplitz_coeff_grad", [&](auto tag) {
        using T = decltype(tag);
        const T *xp = x.data<T>(), *gp = dy.data<T>();
        std::vector<T> partial(static_cast<size_t>(g.S * K));
        parallel_for(0, g.S, g.grain(2 * g.L * g.r), [&](int64_t b, int64_t e) {
            FftwBuffer<T> buf(g.L * kChunk);
            FftwBuffer<std::complex<T>> fx(g.F * kChunk), fg(g.F * kChunk), acc(g.F);
            for (int64_t s = b; s < e; ++s) {
                // acc = sum over columns of conj(rfft(dy)) rfft(x): the spectrum of the
                // cross-correlation corr[k] = sum_i dy[i] x[i + k]
                std::fill(acc.get(), acc.get() + g.F, std::complex<T>(0));
                for (int64_t ch = 0; ch < g.chunks(); ++ch) {
                    const int64_t c0 = ch * kChunk, w = g.width(ch);
                    column_rfft(xp + s * g.n * g.r, g, c0, w, buf.get(), fx.get());
                    column_rfft(gp + s * g.n * g.r, g, c0, w, buf.get(), fg.get());
                    for (int64_t f = 0; f < g.F; ++f) {
                        std::complex<T> a(0);
                        for (int64_t j = 0; j < w; ++j)
                            a += std::conj(fg.get()[f * w + j]) * fx.get()[f * w + j];
                        acc.get()[f] += a;
                    }
                }
                Fftw<T>::c2r(get_plan<T>(false, g.L, 1), acc.get(), buf.get());
                for (int64_t k = -(g.n - 1); k < g.n; ++k) {
                    partial[s * K + k + g.n - 1] = buf.get()[(k + g.L) % g.L] / static_cast<T>(g.L);
                }
            }
        });
        T* out = dc.data<T>();
        std::fill(out, out + g.G * K, T(0));
        for (int64_t s = 0; s < g.S; ++s) {  // fixed order over the leading dims
            for (int64_t k = 0; k < K; ++k)
                out[(s % g.G) * K + k] += partial[s * K + k];
        }
    });
}

}  // namespace lm::cpu
