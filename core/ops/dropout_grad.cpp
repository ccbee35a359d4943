// Differentiable dropout: the mask is regenerated (or read from its bits) in backward.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/dropout.h"

namespace lm {

// y = x * keep / (1 - p); dx = dy * keep / (1 - p) with the same regenerated mask
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen) {
    LM_CHECK(p >= 0 && p < 1, "dropout: p must be in [0, 1), got ", p);
    if (!training || p == 0.0) return x;
    const uint64_t seed = gen.seed();
    const uint64_t offset = gen.reserve(ops::dropout_blocks(x.numel()));
    Tensor bits;  // the keep mask as bits where the backend keeps one (CPU), else regenerated
    Tensor y = should_record({&x}) ? ops::dropout(x, p, seed, offset, &bits)
                                   : ops::dropout(x, p, seed, offset);
    record("DropoutBackward", {&x}, y, [p, seed, offset, bits](const Tensor& dy) {
        return std::vector<Tensor>{ops::dropout_backward(dy, p, seed, offset, bits)};
    });
    return y;
}

}  // namespace lm
