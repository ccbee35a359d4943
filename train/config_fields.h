// The table of config keys: one Field per leaf key with its type, documentation, a setter that
// validates the text value, and a getter that prints it. The YAML reader, --set overrides, the
// resolved-config dump and docs/config.md all walk this one table.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "train/config.h"

namespace lm::train {

struct Field {
    std::string path;  // "model.attention.landmarks"
    std::string type;  // "integer >= 1", "number in [0, 1)", "one of a, b", ...
    std::string doc;
    bool is_list = false;  // takes a YAML sequence
    // Parses and stores the value; throws std::invalid_argument("expected ..., got ...").
    std::function<void(Config&, const std::string&)> set;
    std::function<std::string(const Config&)> get;
    // Whether the key means anything for this config (task options of other tasks do not);
    // the resolved-config dump leaves out keys that do not apply. Empty: always.
    std::function<bool(const Config&)> applies;
};

const std::vector<Field>& config_fields();
const Field* find_field(const std::string& path);
// Section prefixes that hold keys ("task", "model", "model.attention", ...).
const std::vector<std::string>& config_sections();

}  // namespace lm::train
