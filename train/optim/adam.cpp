#include "train/optim/adam.h"

#include "core/ops/optim.h"

namespace lm::train {

Adam::Adam(const OptimizerConfig& cfg, const nn::NamedTensors& params, bool decoupled)
    : Optimizer(cfg, params, {"exp_avg", "exp_avg_sq"}), decoupled_(decoupled) {}

void Adam::step() {
    for_each_update([&](ParamState& s, const Tensor& grad) {
        const kernels::AdamCoeffs c =
            kernels::adam_coeffs(cfg_.lr * s.lr_scale, cfg_.beta1, cfg_.beta2, cfg_.eps,
                                 s.weight_decay, s.step, decoupled_);
        ops::adam_step(s.param, grad, s.slots[0], s.slots[1], c);
    });
}

}  // namespace lm::train
