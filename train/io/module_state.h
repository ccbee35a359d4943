// A module's checkpointed state: its parameters and persistent buffers by their dotted names.
#pragma once

#include <string>

#include "layers/module.h"

namespace lm::train {

// Parameters then persistent buffers (the tensors themselves, not copies).
nn::NamedTensors module_state(const nn::Module& module);

// Copies `tensors` into the module's parameters and persistent buffers (under NoGradGuard).
// Every problem is found before anything is copied: a missing key, an unexpected key, or a
// shape or dtype mismatch is an error naming the tensors and `source` (e.g. the file), so a
// checkpoint of a different model shape or attention type fails clearly.
void load_into_module(nn::Module& module,
                      const nn::NamedTensors& tensors,
                      const std::string& source);

}  // namespace lm::train
