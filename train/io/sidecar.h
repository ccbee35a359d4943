// The trainer.json sidecar of a checkpoint, read as untrusted input: every field eval, predict
// and info need (the config, task metadata, tokenizer and label map) is checked for its type,
// range and consistency, and an error names the file and the field.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "data/label_map.h"
#include "data/task.h"
#include "data/tokenizer.h"
#include "train/config.h"

namespace lm::train {

struct Sidecar {
    Config cfg;  // resolved against `info` (model sizes filled in)
    data::TaskInfo info;
    std::unique_ptr<data::Tokenizer> tokenizer;
    data::LabelMap labels;
};

// The JSON of a sidecar file's text; errors name `source`.
nlohmann::json parse_sidecar_json(const std::string& text, const std::string& source);
// Throws lm::Error, or ConfigError for a config that does not parse, naming `source`.
Sidecar parse_sidecar(const nlohmann::json& j, const std::string& source);

}  // namespace lm::train
