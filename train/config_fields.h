// The table of config keys: one Field per leaf key with its type, documentation, a setter that
// validates the text value, and a getter that prints it. The YAML reader, --set overrides, the
// resolved-config dump and docs/config.md all walk this one table.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/options.h"
#include "train/config.h"

namespace lm::train {

// A key of the config ("model.attention.landmarks"): its type, documentation, a setter that
// validates the text value (throws OptionError("expected ..., got ...")) and a getter.
struct Field : Option<Config> {
    Field(Option<Config> option, std::function<bool(const Config&)> applies_to = nullptr)
        : Option<Config>(std::move(option)), applies(std::move(applies_to)) {}
    // Whether the key means anything for this config (task options of other tasks do not);
    // the resolved-config dump leaves out keys that do not apply. Empty: always.
    std::function<bool(const Config&)> applies;
};

const std::vector<Field>& config_fields();
const Field* find_field(const std::string& path);
// Section prefixes that hold keys ("task", "model", "model.attention", ...).
const std::vector<std::string>& config_sections();

}  // namespace lm::train
