#include "core/autograd/accumulate_grad.h"

#include <utility>

#include "core/ops/elementwise.h"
#include "core/tensor/autograd_meta.h"

namespace lm {

namespace {
thread_local GradReadyHook t_grad_ready_hook;
}  // namespace

GradReadyHookScope::GradReadyHookScope(GradReadyHook hook)
    : previous_(std::exchange(t_grad_ready_hook, std::move(hook))) {}

GradReadyHookScope::~GradReadyHookScope() {
    t_grad_ready_hook = std::move(previous_);
}

void accumulate_into_grad(TensorImpl& impl, const Tensor& g) {
    AutogradMeta& meta = impl.ensure_autograd();
    if (!meta.grad.defined()) {
        // Always a fresh copy: optimizers write grads in place (clipping, zeroing), and that
        // must never reach a tensor that shares memory with the incoming gradient. Parameters
        // are small, so the copy costs nothing measurable.
        meta.grad = empty(g.shape(), g.dtype(), g.device());
        ops::copy_into(meta.grad, g);
    } else {
        meta.grad = ops::binary(ops::BinaryOp::Add, meta.grad, g);
    }
}

std::vector<Tensor> AccumulateGrad::apply(std::vector<Tensor>& grads) {
    if (!grads[0].defined()) return {};
    accumulate_into_grad(*leaf_, grads[0]);
    if (t_grad_ready_hook) t_grad_ready_hook(*leaf_);
    return {};
}

}  // namespace lm
