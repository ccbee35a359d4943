#include "train/grad_scaler.h"

#include <cmath>

#include "core/base/check.h"
#include "core/ops/elementwise.h"
#include "core/ops/optim.h"

namespace lm::train {

GradScaler::GradScaler(bool enabled, GradScalerOptions options)
    : enabled_(enabled), opt_(options), scale_(options.init_scale) {
    LM_CHECK(opt_.init_scale > 0 && opt_.growth_factor > 1 && opt_.backoff_factor > 0 &&
                 opt_.backoff_factor < 1 && opt_.growth_interval > 0,
             "GradScaler: expected init_scale > 0, growth_factor > 1, 0 < backoff_factor < 1 "
             "and growth_interval > 0");
}

bool GradScaler::unscale(const std::vector<Tensor>& params) const {
    const double inv = 1.0 / scale();
    bool finite = true;
    for (const Tensor& p : params) {
        Tensor g = p.grad();
        if (!g.defined()) continue;
        if (!g.is_contiguous()) {  // the in-place kernels want a contiguous grad
            g = ops::contiguous(g);
            p.set_grad(g);
        }
        // Summed in double: inf only from an inf or NaN element, never from overflow.
        if (!std::isfinite(ops::sum_of_squares(g))) finite = false;
        if (inv != 1.0) {
            ops::scale_in_place(g, inv);
            g.bump_version();
        }
    }
    return finite;
}

void GradScaler::update(bool found_inf) {
    if (!enabled_) return;
    if (found_inf) {
        scale_ *= opt_.backoff_factor;
        growth_tracker_ = 0;
        ++skipped_;
        return;
    }
    if (++growth_tracker_ == opt_.growth_interval) {
        const double grown = scale_ * opt_.growth_factor;
        if (std::isfinite(grown)) scale_ = grown;  // as torch: never grow to inf
        growth_tracker_ = 0;
    }
}

nlohmann::json GradScaler::state() const {
    return {{"scale", scale_}, {"growth_tracker", growth_tracker_}, {"skipped_steps", skipped_}};
}

namespace {
int64_t count_field(const nlohmann::json& j, const char* name) {
    const auto it = j.find(name);
    LM_CHECK(it != j.end() && it->is_number_unsigned() &&
                 it->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX),
             "trainer.json: field 'grad_scaler.", name, "' must be a non-negative integer");
    return it->get<int64_t>();
}
}  // namespace

void GradScaler::load_state(const nlohmann::json& j) {
    LM_CHECK(j.is_object(), "trainer.json: field 'grad_scaler' must be an object");
    const auto s = j.find("scale");
    LM_CHECK(
        s != j.end() && s->is_number() && std::isfinite(s->get<double>()) && s->get<double>() > 0,
        "trainer.json: field 'grad_scaler.scale' must be a positive finite number");
    const int64_t tracker = count_field(j, "growth_tracker");
    LM_CHECK(tracker < opt_.growth_interval, "trainer.json: field 'grad_scaler.growth_tracker' ",
             "must be below the growth interval ", opt_.growth_interval);
    const int64_t skipped = count_field(j, "skipped_steps");
    scale_ = s->get<double>();  // assigned only once every field is valid
    growth_tracker_ = tracker;
    skipped_ = skipped;
}

}  // namespace lm::train
