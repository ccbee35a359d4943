// Learning-rate schedules, evaluated at the number of optimizer steps already taken: the update
// number s (0-based) uses lr(s) and beta1(s).
//
//   onecycle  PyTorch 1.13's OneCycleLR(max_lr, total_steps, pct_start = warmup / total,
//             anneal_strategy='linear', three_phase=False): lr rises linearly from
//             max_lr / div_factor to max_lr over steps [0, warmup - 1], then falls linearly to
//             max_lr / div_factor / final_div_factor at step total - 1. With cycle_momentum,
//             beta1 moves inversely between max_momentum and base_momentum.
//   linear    warmup lr (s + 1) / warmup, then linear decay to min_lr_ratio * lr at `total`
//   cosine    the same warmup, then half-cosine decay to min_lr_ratio * lr at `total`
//   constant  the same warmup, then lr
// Steps past the end keep the last value (onecycle: the value at total - 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lm::train {

struct ScheduleConfig {
    std::string type = "onecycle";  // onecycle, linear, cosine, constant
    int64_t warmup_steps = 1000;
    int64_t total_steps = 5000;
    double min_lr_ratio = 0.0;  // linear, cosine
    double div_factor = 25;     // onecycle
    double final_div_factor = 1e4;
    bool cycle_momentum = true;
    double base_momentum = 0.85, max_momentum = 0.95;
};

class Schedule {
  public:
    // Checks the config (unknown types are an error listing the valid ones).
    Schedule(ScheduleConfig cfg, double max_lr);

    double lr(int64_t step) const;
    // Adam's beta1 for onecycle with cycle_momentum; nullopt otherwise (leave beta1 alone).
    std::optional<double> beta1(int64_t step) const;

    const ScheduleConfig& config() const { return cfg_; }
    double max_lr() const { return max_lr_; }

  private:
    struct Phase {
        double pct;   // position in the phase, 0..1
        bool warmup;  // first (rising) phase
    };
    Phase onecycle_phase(int64_t step) const;
    double warmup_decay_lr(int64_t step) const;

    ScheduleConfig cfg_;
    double max_lr_;
};

}  // namespace lm::train
