#include "core/base/parallel.h"
#include "core/kernels/random.h"
#include "core/ops/dispatch.h"
#include "core/ops/random_backend.h"

namespace lm::cpu {

void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset) {
    dispatch_floating(t.dtype(), "uniform_", [&](auto tag) {
        using T = decltype(tag);
        T* p = t.data<T>();
        const T scale = static_cast<T>(hi - lo), base = static_cast<T>(lo);
        parallel_for(0, t.numel(), 4096, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) {
                // draw in double so float and double tensors of one seed hold the same values
                const double u = kernels::philox_uniform_double(seed, offset, i);
                p[i] = base + scale * static_cast<T>(u);
            }
        });
    });
}

void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset) {
    dispatch_floating(t.dtype(), "normal_", [&](auto tag) {
        using T = decltype(tag);
        T* p = t.data<T>();
        parallel_for(0, t.numel(), 4096, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) {
                p[i] = static_cast<T>(mean + std * kernels::philox_normal<double>(seed, offset, i));
            }
        });
    });
}

}  // namespace lm::cpu
