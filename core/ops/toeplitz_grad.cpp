// The Toeplitz product as an autograd node; both gradients are FFT products again.
#include "core/autograd/toeplitz.h"

#include "core/autograd/record.h"
#include "core/ops/toeplitz.h"

namespace lm {

Tensor toeplitz_matmul(const Tensor& c, const Tensor& x) {
    Tensor y = ops::toeplitz_matmul(c.detach(), x.detach());
    SavedTensor sc = c, sx = x;
    const bool gc = wants_grad(c), gx = wants_grad(x);
    record("ToeplitzMatmulBackward", {&c, &x}, y, [sc, sx, gc, gx](const Tensor& dy) {
        Tensor dc = gc ? ops::toeplitz_coeff_grad(dy, sx.get()) : Tensor();
        Tensor dx = gx ? ops::toeplitz_matmul(sc.get(), dy, true) : Tensor();
        return std::vector<Tensor>{dc, dx};
    });
    return y;
}

}  // namespace lm
