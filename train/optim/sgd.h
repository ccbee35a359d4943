// SGD with optional momentum and Nesterov momentum (torch.optim.SGD with dampening 0). Weight
// decay is L2 (added to the gradient). State per parameter: the momentum buffer, when
// momentum != 0.
#pragma once

#include "train/optim/optimizer.h"

namespace lm::train {

class Sgd : public Optimizer {
  public:
    Sgd(const OptimizerConfig& cfg, const nn::NamedTensors& params);
    void step() override;
};

}  // namespace lm::train
