// CPU launchers of the optimizer kernels: contiguous element ranges split across threads, each a
// plain loop over the shared functor that GCC vectorises.
#include "core/base/parallel.h"
#include "core/kernels/optim.h"
#include "core/ops/dispatch.h"
#include "core/ops/optim_backend.h"

namespace lm::cpu {

namespace {
inline constexpr int64_t kOptimGrain = 16384;
// Fixed block of the sum of squares: the partial sums, and so the result, do not depend on the
// thread count.
inline constexpr int64_t kSquaresBlock = 16384;
}  // namespace

void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs) {
    dispatch_floating(param.dtype(), "adam_step", [&](auto tag) {
        using T = decltype(tag);
        const kernels::AdamUpdate<T> f(coeffs);
        T* p = param.data<T>();
        const T* g = grad.data<T>();
        T* m = exp_avg.data<T>();
        T* v = exp_avg_sq.data<T>();
        parallel_for(0, param.numel(), kOptimGrain, [&](int64_t b, int64_t e) {
            const auto fn = f;  // a local copy: stores to p cannot alias its fields
#pragma omp simd
            for (int64_t i = b; i < e; ++i)
                fn(p[i], g[i], m[i], v[i]);
        });
    });
}

void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs) {
    dispatch_floating(param.dtype(), "sgd_step", [&](auto tag) {
        using T = decltype(tag);
        const kernels::SgdUpdate<T> f(coeffs);
        T* p = param.data<T>();
        const T* g = grad.data<T>();
        T* buf = momentum_buffer.defined() ? momentum_buffer.data<T>() : nullptr;
        parallel_for(0, param.numel(), kOptimGrain, [&](int64_t b, int64_t e) {
            const auto fn = f;  // a local copy: stores to p cannot alias its fields
            if (buf) {
#pragma omp simd
                for (int64_t i = b; i < e; ++i)
                    fn(p[i], g[i], buf[i]);
            } else {
#pragma omp simd
                for (int64_t i = b; i < e; ++i)
                    fn(p[i], g[i]);
            }
        });
    });
}

double sum_of_squares(const Tensor& x) {
    double total = 0;
    dispatch_floating(x.dtype(), "sum_of_squares", [&](auto tag) {
        using T = decltype(tag);
        const T* p = x.data<T>();
        total = parallel_reduce_blocks<double>(
            x.numel(), kSquaresBlock, 0.0,
            [&](int64_t b, int64_t e) {
                double s = 0;
#pragma omp simd reduction(+ : s)
                for (int64_t i = b; i < e; ++i)
                    s += kernels::grad_square(p[i]);
                return s;
            },
            [](double a, double c) { return a + c; });
    });
    return total;
}

namespace {
template <class T, class F>
void apply_in_place(T* x, int64_t n, const F& f) {
    parallel_for(0, n, kOptimGrain, [&](int64_t b, int64_t e) {
#pragma omp simd
        for (int64_t i = b; i < e; ++i)
            f(x[i]);
    });
}
}  // namespace

void scale_in_place(const Tensor& x, double s) {
    dispatch_floating(x.dtype(), "scale_in_place", [&](auto tag) {
        using T = decltype(tag);
        apply_in_place(x.data<T>(), x.numel(), kernels::ScaleBy<T>{T(s)});
    });
}

void clamp_in_place(const Tensor& x, double lo, double hi) {
    dispatch_floating(x.dtype(), "clamp_in_place", [&](auto tag) {
        using T = decltype(tag);
        apply_in_place(x.data<T>(), x.numel(), kernels::ClampTo<T>{T(lo), T(hi)});
    });
}

}  // namespace lm::cpu
