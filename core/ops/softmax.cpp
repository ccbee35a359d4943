#include "core/ops/softmax.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/softmax_backend.h"

namespace lm::ops {

namespace {
Tensor softmax_impl(const Tensor& x_in, bool log, const char* op) {
    check_floating(x_in, op);
    LM_CHECK(x_in.dim() >= 1 && x_in.size(-1) > 0, op, ": expected a non-empty last dim, got ",
             x_in.shape().str());
    const Tensor x = contiguous(x_in);
    Tensor y = empty(x.shape(), x.dtype(), x.device());
    LM_DISPATCH_DEVICE(x.device(), softmax_rows, y, x, log);
    return y;
}

Tensor softmax_backward_impl(const Tensor& y, const Tensor& dy_in, bool log) {
    const Tensor dy = contiguous(dy_in);
    Tensor dx = empty(y.shape(), y.dtype(), y.device());
    LM_DISPATCH_DEVICE(y.device(), softmax_rows_backward, dx, contiguous(y), dy, log);
    return dx;
}
}  // namespace

Tensor softmax(const Tensor& x) {
    return softmax_impl(x, false, "softmax");
}
Tensor log_softmax(const Tensor& x) {
    return softmax_impl(x, true, "log_softmax");
}
Tensor softmax_backward(const Tensor& y, const Tensor& dy) {
    return softmax_backward_impl(y, dy, false);
}
Tensor log_softmax_backward(const Tensor& y, const Tensor& dy) {
    return softmax_backward_impl(y, dy, true);
}

}  // namespace lm::ops
