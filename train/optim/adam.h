// Adam and AdamW (torch.optim.Adam / torch.optim.AdamW, amsgrad off). State per parameter:
// exp_avg (m) and exp_avg_sq (v).
#pragma once

#include "train/optim/optimizer.h"

namespace lm::train {

class Adam : public Optimizer {
  public:
    // decoupled: AdamW's p *= 1 - lr wd; otherwise Adam's g += wd p.
    Adam(const OptimizerConfig& cfg, const nn::NamedTensors& params, bool decoupled);
    void step() override;
    bool decoupled() const { return decoupled_; }

  private:
    bool decoupled_;
};

}  // namespace lm::train
