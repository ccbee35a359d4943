// Optimizers: AdamW (decoupled weight decay), Adam (L2 weight decay) and SGD with momentum, with
// PyTorch 1.13's update formulas (core/kernels/optim.h). Each parameter tensor is updated by one
// fused kernel call.
//
// Gradient accumulation: backward() adds into .grad; the optimizer only reads grads when step()
// is called. A parameter whose grad is undefined is skipped (its own step count does not
// advance, as in PyTorch). Construct the optimizer after the model is on its final device and
// dtype: it keeps the parameter tensors it was given.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor/tensor.h"
#include "layers/module.h"
#include "train/optim/clip.h"  // clip_grad_norm / clip_grad_value belong to this API

namespace lm::train {

struct OptimizerConfig {
    std::string type = "adamw";  // adamw, adam, sgd
    double lr = 1e-4;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-6;
    double weight_decay = 0.0;
    double momentum = 0.9;  // SGD; dampening is 0
    bool nesterov = false;  // SGD
    // Parameters matching any pattern get weight decay 0 (see train/optim/param_groups.h).
    std::vector<std::string> no_decay = {".bias", "norm"};
};

// One parameter with its group's hyperparameters and its optimizer state.
struct ParamState {
    std::string name;
    Tensor param;
    double weight_decay = 0;
    double lr_scale = 1.0;      // multiplies the learning rate (train.init_lr_scale)
    int64_t step = 0;           // updates applied to this parameter
    std::vector<Tensor> slots;  // optimizer state like param (Optimizer::slot_names())
};

class Optimizer {
  public:
    virtual ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // Applies one update to every parameter with a defined grad.
    virtual void step() = 0;
    // Sets every grad to an undefined tensor (PyTorch's set_to_none).
    void zero_grad();

    void set_lr(double lr);
    // The parameters named in `names` get `scale` times the learning rate.
    void set_lr_scale(const std::vector<std::string>& names, double scale);
    double lr() const { return cfg_.lr; }
    // Adam's beta1, for one-cycle momentum cycling; SGD does not read it.
    void set_beta1(double beta1);
    double beta1() const { return cfg_.beta1; }
    int64_t steps() const { return steps_; }  // calls of step()

    const OptimizerConfig& config() const { return cfg_; }
    const std::vector<ParamState>& params() const { return params_; }
    const std::vector<std::string>& slot_names() const { return slot_names_; }

    // State for checkpoints: "step" (int64 scalar, steps()), and per parameter "step.<name>"
    // (int64 scalar) and "<slot>.<name>" (e.g. exp_avg, exp_avg_sq, momentum). The tensors
    // alias the live state: save them before the next step().
    nn::NamedTensors state() const;
    // Restores state() output; checks every name, shape and dtype before changing anything, and
    // errors name the tensor.
    void load_state(const nn::NamedTensors& state);

  protected:
    Optimizer(const OptimizerConfig& cfg,
              const nn::NamedTensors& params,
              std::vector<std::string> slot_names);
    // Runs update(state, grad) for every parameter with a grad (checked against the parameter;
    // errors name it) after advancing its step count, then counts the optimizer step.
    template <class F>
    void for_each_update(const F& update);

    OptimizerConfig cfg_;

  private:
    Tensor checked_grad(const ParamState& s) const;

    std::vector<ParamState> params_;
    std::vector<std::string> slot_names_;
    int64_t steps_ = 0;
};

template <class F>
void Optimizer::for_each_update(const F& update) {
    for (ParamState& s : params_) {
        const Tensor g = checked_grad(s);
        if (!g.defined()) continue;
        ++s.step;
        update(s, g);
        s.param.bump_version();
        for (const Tensor& t : s.slots)
            t.bump_version();
    }
    ++steps_;
}

// Builds the optimizer named by cfg.type; unknown types are an error listing adamw, adam, sgd.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& cfg,
                                          const nn::NamedTensors& params);

}  // namespace lm::train
