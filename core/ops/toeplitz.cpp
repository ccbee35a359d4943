#include "core/ops/toeplitz.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/toeplitz_backend.h"

namespace lm::ops {

namespace {

// x [..., G, n, r] as contiguous [S, n, r].
Tensor as_slices(const Tensor& x, const char* op) {
    check_floating(x, op);
    LM_CHECK(x.dim() >= 3, op, ": x must be [..., G, n, r], got ", x.shape().str());
    const int64_t n = x.size(-2), r = x.size(-1);
    return contiguous(x).view({x.numel() / (n * r), n, r});
}

void check_coeffs(const Tensor& c, const Tensor& x, const char* op) {
    const int64_t G = x.size(-3), n = x.size(-2);
    LM_CHECK(c.dim() == 2 && c.size(0) == G && c.size(1) == 2 * n - 1, op,
             ": coefficients must be [G, 2n - 1] = [", G, ", ", 2 * n - 1, "] for x ",
             x.shape().str(), ", got ", c.shape().str());
    check_same_dtype(c, x, op);
    check_same_device(c, x, op);
}

}  // namespace

int64_t toeplitz_fft_size(int64_t n) {
    const int64_t need = std::max<int64_t>(2, 2 * n - 1);
    for (int64_t L = need + (need % 2);; L += 2) {
        int64_t m = L;
        for (int64_t p : {2, 3, 5, 7}) {
            while (m % p == 0)
                m /= p;
        }
        if (m == 1) return L;
    }
}

Tensor toeplitz_matmul(const Tensor& c, const Tensor& x, bool transpose) {
    const Tensor xs = as_slices(x, "toeplitz_matmul");
    check_coeffs(c, x, "toeplitz_matmul");
    Tensor y = empty(xs.shape(), x.dtype(), x.device());
    if (y.numel() > 0) {
        LM_DISPATCH_DEVICE(x.device(), toeplitz_matmul, y, contiguous(c), xs, transpose);
    }
    return y.view(x.shape());
}

Tensor toeplitz_coeff_grad(const Tensor& dy, const Tensor& x) {
    LM_CHECK(dy.shape() == x.shape(), "toeplitz_coeff_grad: dy ", dy.shape().str(), " and x ",
             x.shape().str(), " must have the same shape");
    check_same_dtype(dy, x, "toeplitz_coeff_grad");
    const Tensor xs = as_slices(x, "toeplitz_coeff_grad");
    const Tensor gs = as_slices(dy, "toeplitz_coeff_grad");
    Tensor dc = empty({x.size(-3), 2 * x.size(-2) - 1}, x.dtype(), x.device());
    if (xs.numel() == 0) {
        fill(dc, 0.0);
        return dc;
    }
    LM_DISPATCH_DEVICE(x.device(), toeplitz_coeff_grad, dc, gs, xs);
    return dc;
}

}  // namespace lm::ops
