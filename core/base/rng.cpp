#include "core/base/rng.h"

#include <cmath>

#include "core/base/check.h"
#include "core/base/philox.h"

namespace lm {

double Generator::uniform() {
    const uint64_t block = reserve(1);
    const kernels::Philox4 r = kernels::philox4x32(state_.seed, block);
    return kernels::uints_to_unit_double(r.v[0], r.v[1]);
}

uint64_t Generator::uniform_int(uint64_t n) {
    LM_CHECK(n > 0, "uniform_int: the range must not be empty");
    // Rejection sampling on 64 random bits removes modulo bias.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    for (;;) {
        const kernels::Philox4 r = kernels::philox4x32(state_.seed, reserve(1));
        const uint64_t x = (static_cast<uint64_t>(r.v[0]) << 32) | r.v[1];
        if (x < limit) return x % n;
    }
}

double Generator::normal() {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

Generator& default_generator() {
    static Generator gen(0);
    return gen;
}

void manual_seed(uint64_t seed) {
    default_generator().manual_seed(seed);
}

}  // namespace lm
