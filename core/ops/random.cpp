#include "core/ops/random.h"

#include "core/ops/dispatch.h"
#include "core/ops/random_backend.h"

namespace lm::ops {

uint64_t philox_blocks_for(int64_t n, bool /*normal*/) {
    // Two elements per block covers float and double uniforms and the normal pairs alike.
    return static_cast<uint64_t>((n + 1) / 2);
}

void fill_uniform(const Tensor& t, double lo, double hi, uint64_t seed, uint64_t offset) {
    check_floating(t, "uniform_");
    LM_CHECK(t.is_contiguous(), "uniform_: expected a contiguous tensor");
    LM_DISPATCH_DEVICE(t.device(), fill_uniform, t, lo, hi, seed, offset);
    t.bump_version();
}

void fill_normal(const Tensor& t, double mean, double std, uint64_t seed, uint64_t offset) {
    check_floating(t, "normal_");
    LM_CHECK(t.is_contiguous(), "normal_: expected a contiguous tensor");
    LM_DISPATCH_DEVICE(t.device(), fill_normal, t, mean, std, seed, offset);
    t.bump_version();
}

}  // namespace lm::ops
