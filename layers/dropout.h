// Inverted dropout, active in training mode only; masks come from `gen` (Philox counters).
#pragma once

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

class Dropout : public Module {
  public:
    Dropout(double p, Generator& gen) : p_(p), gen_(&gen) {}
    Tensor forward(const Tensor& x) const;
    double p() const { return p_; }

  private:
    double p_;
    Generator* gen_;
};

}  // namespace lm::nn
