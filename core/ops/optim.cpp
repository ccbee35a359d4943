#include "core/ops/optim.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/ops/optim_backend.h"

namespace lm::ops {

namespace {
// `t` must be a contiguous tensor like `param` (state tensors are written in place).
void check_state(const Tensor& param, const Tensor& t, const char* what, const char* op) {
    LM_CHECK(t.defined(), op, ": ", what, " is undefined");
    LM_CHECK(t.shape() == param.shape(), op, ": ", what, " of shape ", t.shape().str(),
             " does not match the parameter's shape ", param.shape().str());
    check_same_dtype(param, t, op);
    check_same_device(param, t, op);
    LM_CHECK(t.is_contiguous(), op, ": ", what, " must be contiguous");
}

// The gradient as a contiguous tensor like `param`.
Tensor checked_grad(const Tensor& param, const Tensor& grad, const char* op) {
    check_floating(param, op);
    LM_CHECK(param.is_contiguous(), op, ": the parameter must be contiguous");
    LM_CHECK(grad.defined(), op, ": the gradient is undefined");
    LM_CHECK(grad.shape() == param.shape(), op, ": gradient of shape ", grad.shape().str(),
             " for a parameter of shape ", param.shape().str());
    check_same_dtype(param, grad, op);
    check_same_device(param, grad, op);
    return contiguous(grad);
}

void check_in_place(const Tensor& x, const char* op) {
    check_floating(x, op);
    LM_CHECK(x.is_contiguous(), op, ": the tensor must be contiguous");
}
}  // namespace

void adam_step(const Tensor& param,
               const Tensor& grad,
               const Tensor& exp_avg,
               const Tensor& exp_avg_sq,
               const kernels::AdamCoeffs& coeffs) {
    const Tensor g = checked_grad(param, grad, "adam_step");
    check_state(param, exp_avg, "exp_avg", "adam_step");
    check_state(param, exp_avg_sq, "exp_avg_sq", "adam_step");
    LM_DISPATCH_DEVICE(param.device(), adam_step, param, g, exp_avg, exp_avg_sq, coeffs);
}

void sgd_step(const Tensor& param,
              const Tensor& grad,
              const Tensor& momentum_buffer,
              const kernels::SgdCoeffs& coeffs) {
    const Tensor g = checked_grad(param, grad, "sgd_step");
    if (coeffs.momentum != 0) check_state(param, momentum_buffer, "momentum buffer", "sgd_step");
    const Tensor buf = coeffs.momentum != 0 ? momentum_buffer : Tensor();
    LM_DISPATCH_DEVICE(param.device(), sgd_step, param, g, buf, coeffs);
}

double sum_of_squares(const Tensor& x) {
    check_floating(x, "sum_of_squares");
    return LM_DISPATCH_DEVICE(x.device(), sum_of_squares, contiguous(x));
}

void scale_in_place(const Tensor& x, double s) {
    check_in_place(x, "scale_in_place");
    LM_DISPATCH_DEVICE(x.device(), scale_in_place, x, s);
}

void clamp_in_place(const Tensor& x, double lo, double hi) {
    check_in_place(x, "clamp_in_place");
    LM_CHECK(!(lo > hi), "clamp_in_place: lower bound ", lo, " is above the upper bound ", hi);
    LM_DISPATCH_DEVICE(x.device(), clamp_in_place, x, lo, hi);
}

}  // namespace lm::ops
