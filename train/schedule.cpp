#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/base/check.h"

namespace lm::train {

namespace {
// a * b + c rounded as Python does: the product is stored first, so the compiler cannot fuse
// it into an FMA (whose single rounding would drift from PyTorch's values).
double mul_add_rounded(double a, double b, double c) {
    const volatile double product = a * b;
    return product + c;
}

// torch.optim.lr_scheduler.OneCycleLR._annealing_linear: (end - start) * pct + start
double anneal_linear(double start, double end, double pct) {
    return mul_add_rounded(end - start, pct, start);
}

void check_config(const ScheduleConfig& c, double max_lr) {
    LM_CHECK(
        c.type == "onecycle" || c.type == "linear" || c.type == "cosine" || c.type == "constant",
        "unknown schedule type '", c.type,
        "' (expected one of: onecycle, linear, cosine, constant)");
    LM_CHECK(std::isfinite(max_lr) && max_lr >= 0, "schedule: lr must be >= 0, got ", max_lr);
    LM_CHECK(c.total_steps >= 1, "schedule: total_steps must be >= 1, got ", c.total_steps);
    LM_CHECK(c.warmup_steps >= 0 && c.warmup_steps <= c.total_steps,
             "schedule: warmup_steps must be in [0, total_steps = ", c.total_steps, "], got ",
             c.warmup_steps);
    LM_CHECK(c.min_lr_ratio >= 0 && c.min_lr_ratio <= 1,
             "schedule: min_lr_ratio must be in [0, 1], got ", c.min_lr_ratio);
    LM_CHECK(c.div_factor > 0 && c.final_div_factor > 0,
             "schedule: div_factor and final_div_factor must be > 0");
    LM_CHECK(
        c.base_momentum >= 0 && c.base_momentum < 1 && c.max_momentum >= 0 && c.max_momentum < 1,
        "schedule: base_momentum and max_momentum must be in [0, 1)");
}
}  // namespace

Schedule::Schedule(ScheduleConfig cfg, double max_lr) : cfg_(std::move(cfg)), max_lr_(max_lr) {
    check_config(cfg_, max_lr_);
}

// OneCycleLR.get_lr: phase ends at pct_start * total - 1 and total - 1, and
// pct = (step - phase start) / (phase end - phase start).
Schedule::Phase Schedule::onecycle_phase(int64_t step) const {
    const double total = static_cast<double>(cfg_.total_steps);
    const double pct_start = static_cast<double>(cfg_.warmup_steps) / total;
    const double end1 = mul_add_rounded(pct_start, total, -1.0), end2 = total - 1.0;
    const double s = static_cast<double>(std::min(step, cfg_.total_steps - 1));
    // A one-step phase (where PyTorch divides by zero) sits at its end.
    const auto pct = [](double num, double den) { return den > 0 ? num / den : 1.0; };
    if (s <= end1) return {pct(s, end1), true};
    return {pct(s - end1, end2 - end1), false};
}

double Schedule::warmup_decay_lr(int64_t step) const {
    const int64_t w = cfg_.warmup_steps;
    if (step < w) return max_lr_ * static_cast<double>(step + 1) / static_cast<double>(w);
    if (cfg_.type == "constant") return max_lr_;
    const double min_lr = cfg_.min_lr_ratio * max_lr_;
    const double span = static_cast<double>(std::max<int64_t>(cfg_.total_steps - w, 1));
    const double p = std::min(1.0, static_cast<double>(step - w) / span);
    if (cfg_.type == "linear") return min_lr + (max_lr_ - min_lr) * (1.0 - p);
    return min_lr + (max_lr_ - min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * p));
}

double Schedule::lr(int64_t step) const {
    LM_CHECK(step >= 0, "schedule: negative step ", step);
    if (cfg_.type != "onecycle") return warmup_decay_lr(step);
    const double initial = max_lr_ / cfg_.div_factor;
    const double min_lr = initial / cfg_.final_div_factor;
    const Phase ph = onecycle_phase(step);
    return ph.warmup ? anneal_linear(initial, max_lr_, ph.pct)
                     : anneal_linear(max_lr_, min_lr, ph.pct);
}

std::optional<double> Schedule::beta1(int64_t step) const {
    LM_CHECK(step >= 0, "schedule: negative step ", step);
    if (cfg_.type != "onecycle" || !cfg_.cycle_momentum) return std::nullopt;
    const Phase ph = onecycle_phase(step);
    return ph.warmup ? anneal_linear(cfg_.max_momentum, cfg_.base_momentum, ph.pct)
                     : anneal_linear(cfg_.base_momentum, cfg_.max_momentum, ph.pct);
}

}  // namespace lm::train
