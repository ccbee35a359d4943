// Loading a trained model back from a run directory or checkpoint: the config, task metadata,
// tokenizer and label map come from the checkpoint's sidecar, so no config file is needed.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/rng.h"
#include "data/label_map.h"
#include "data/task.h"
#include "data/tokenizer.h"
#include "models/model.h"
#include "train/config.h"

namespace lm::train {

struct LoadedRun {
    Config cfg;
    data::TaskInfo info;
    std::unique_ptr<data::Tokenizer> tokenizer;
    data::LabelMap labels;
    std::unique_ptr<Generator> init_gen, dropout_gen;
    std::shared_ptr<models::Model> model;  // in eval mode, on `device`
    nlohmann::json trainer;                // the sidecar (step, metrics, ...)
    std::string checkpoint_dir;
    Device device;
};

// `path` is a run directory (its best checkpoint, else the latest) or a checkpoint directory.
// The checkpoint and its sidecar are validated as untrusted input (train/sidecar.h,
// train/model_signature.h): errors name the file, the field or the tensors and keys that differ.
LoadedRun load_run(const std::string& path,
                   const std::string& device = "auto",
                   bool prefer_best = true);

// Tokens of one input text as training saw them: the run's tokenizer, cut to the task's
// max_length by its truncation policy (task.truncation: head, tail or head+tail).
std::vector<int32_t> encode_input(const LoadedRun& run, std::string_view text);

}  // namespace lm::train
