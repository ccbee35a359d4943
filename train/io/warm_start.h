// Warm start (train.init_from): a new model takes every tensor of a checkpoint whose name and
// shape match, like PyTorch's load_state_dict(strict=False) — a classifier takes the encoder of
// a masked-LM pre-training run and initialises its head afresh.
#pragma once

#include <string>
#include <vector>

#include "layers/module.h"

namespace lm::train {

struct WarmStartReport {
    std::vector<std::string> loaded;       // copied from the checkpoint
    std::vector<std::string> initialised;  // the model's own, not in the checkpoint
    std::vector<std::string> unused;       // in the checkpoint, not in the model
    std::vector<std::string> resized;      // "name: from [a, b] to [c, b]" (position tables)
};

// The learned position table, which may change length between runs.
inline constexpr const char* kPositionTable = "encoder.position.weight";

// Copies the matching tensors of `checkpoint` into `module`'s parameters and persistent buffers.
// A name in both with different shapes is an error naming the tensor and both shapes, except
// the position table: a longer one is filled by repeating the learned rows in order (as the
// Nystromformer paper extends 512 positions to 4096), a shorter one keeps the first rows. A
// checkpoint sharing no name with the model is an error. Errors name `source`.
WarmStartReport warm_start(nn::Module& module,
                           const nn::NamedTensors& checkpoint,
                           const std::string& source);

// One log line per kind: "loaded 14 tensors (...)", "newly initialised 4 (...)", ...
std::vector<std::string> describe(const WarmStartReport& report, const std::string& source);

}  // namespace lm::train
