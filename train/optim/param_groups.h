// Which parameters get weight decay. A parameter whose name matches any `no_decay` pattern gets
// weight decay 0 (biases and norm weights, by default). Pattern forms:
//   "*.bias", "encoder.*.weight"  contains '*' or '?': a glob over the whole name
//   ".bias"                       starts with '.': the name ends with it (or is "bias")
//   "norm"                        anything else: the name contains it
#pragma once

#include <string>
#include <vector>

#include "layers/module.h"

namespace lm::train {

bool name_matches(const std::string& name, const std::string& pattern);
bool matches_any(const std::string& name, const std::vector<std::string>& patterns);
// weight_decay, or 0 when `name` matches a no_decay pattern.
double weight_decay_for(const std::string& name,
                        double weight_decay,
                        const std::vector<std::string>& no_decay);

// Every parameter but those under a train.freeze prefix (name starts with it), which stop
// requiring grad (PyTorch's requires_grad_(False)). A prefix matching no parameter is a
// ConfigError.
nn::NamedTensors trainable_parameters(nn::Module& model, const std::vector<std::string>& freeze);

}  // namespace lm::train
