#include "train/optim/sgd.h"

#include "core/ops/optim.h"

namespace lm::train {

namespace {
std::vector<std::string> sgd_slots(const OptimizerConfig& cfg) {
    LM_CHECK(!cfg.nesterov || cfg.momentum > 0, "sgd: nesterov needs momentum > 0");
    if (cfg.momentum == 0) return {};
    return {"momentum"};
}
}  // namespace

Sgd::Sgd(const OptimizerConfig& cfg, const nn::NamedTensors& params)
    : Optimizer(cfg, params, sgd_slots(cfg)) {}

void Sgd::step() {
    for_each_update([&](ParamState& s, const Tensor& grad) {
        kernels::SgdCoeffs c;
        c.lr = cfg_.lr * s.lr_scale;
        c.momentum = cfg_.momentum;
        c.weight_decay = s.weight_decay;
        c.nesterov = cfg_.nesterov;
        c.first_step = s.step == 1;  // torch clones the first direction into the buffer
        ops::sgd_step(s.param, grad, s.slots.empty() ? Tensor() : s.slots[0], c);
    });
}

}  // namespace lm::train
