// Dynamic loss scaling for fp16 training, like torch.cuda.amp.GradScaler: the loss is
// multiplied by `scale` before backward so that small gradients survive the float16 rounding of
// the backward's GEMM operands; the gradients are divided by it again before clipping. A step
// whose gradients hold an inf/NaN (an fp16 overflow) is skipped and the scale backed off; after
// `growth_interval` good steps in a row it grows. bf16 (fp32's exponent range) needs none.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor/tensor.h"

namespace lm::train {

struct GradScalerOptions {
    double init_scale = 65536.0;
    double growth_factor = 2.0;
    double backoff_factor = 0.5;
    int64_t growth_interval = 2000;
};

class GradScaler {
  public:
    // A disabled scaler has scale 1, unscale() only checks and update() does nothing.
    explicit GradScaler(bool enabled, GradScalerOptions options = {});

    bool enabled() const { return enabled_; }
    double scale() const { return enabled_ ? scale_ : 1.0; }
    int64_t growth_tracker() const { return growth_tracker_; }
    int64_t skipped_steps() const { return skipped_; }

    // Divides every defined grad by the scale in place; false when any grad element is
    // non-finite (the caller skips the optimizer step and calls update(true)).
    bool unscale(const std::vector<Tensor>& params) const;
    // After each step: backoff and reset on an overflow, else count and maybe grow.
    void update(bool found_inf);

    // {"scale", "growth_tracker", "skipped_steps"} for the checkpoint sidecar; load_state checks
    // every field (untrusted input).
    nlohmann::json state() const;
    void load_state(const nlohmann::json& j);

  private:
    bool enabled_;
    GradScalerOptions opt_;
    double scale_;
    int64_t growth_tracker_ = 0;  // good steps since the last growth or backoff
    int64_t skipped_ = 0;         // steps skipped for an overflow, in total
};

}  // namespace lm::train
