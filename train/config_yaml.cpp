// Reading configs from YAML and --set overrides, checking them, and writing them back.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/strings.h"
#include "data/error.h"
#include "layers/attention/registry.h"
#include "train/config.h"
#include "train/config_fields.h"

namespace lm::train {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& path, const std::string& msg) {
    throw ConfigError(where + ": " + (path.empty() ? "" : path + ": ") + msg);
}

std::string location(const std::string& source, const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? source + ":" + std::to_string(mark.line + 1) : source;
}

bool is_section(const std::string& path) {
    for (const auto& s : config_sections()) {
        if (s == path) return true;
    }
    return false;
}

// Keys valid directly under `prefix` (fields and sub-sections), for "did you mean".
std::vector<std::string> children_of(const std::string& prefix) {
    std::vector<std::string> out;
    auto add = [&](const std::string& path) {
        const std::string head = prefix.empty() ? "" : prefix + ".";
        if (path.rfind(head, 0) != 0) return;
        const std::string rest = path.substr(head.size());
        if (rest.find('.') == std::string::npos) out.push_back(rest);
    };
    for (const Field& f : config_fields())
        add(f.key);
    for (const auto& s : config_sections())
        add(s);
    return out;
}

[[noreturn]] void unknown_key(const std::string& where,
                              const std::string& prefix,
                              const std::string& key) {
    const std::vector<std::string> valid = children_of(prefix);
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    fail(where, path,
         "unknown key" + suggestion(key, valid) + "; valid keys" +
             (prefix.empty() ? "" : " of " + prefix) + ": " + join(valid));
}

// The text a field's setter receives for a YAML value (a scalar, or a sequence for lists).
std::string node_text(const Field& f, const YAML::Node& v, const std::string& where) {
    if (v.IsNull()) {
        if (f.type == "string") return "";
        fail(where, f.key, "expected " + f.type + ", got nothing");
    }
    if (v.IsScalar()) return v.Scalar();
    if (v.IsSequence() && f.is_list) {
        std::vector<std::string> items;
        for (const auto& item : v) {
            if (!item.IsScalar()) fail(where, f.key, "expected a list of scalars");
            items.push_back(item.Scalar());
        }
        return join(items, ",");
    }
    fail(where, f.key, "expected " + f.type + ", got a " + (v.IsMap() ? "mapping" : "list"));
}

void set_field(Config& cfg, const Field& f, const std::string& text, const std::string& where) {
    try {
        f.set(cfg, text);
    } catch (const OptionError& e) {
        fail(where, f.key, e.what());
    }
}

void walk(const YAML::Node& node,
          const std::string& prefix,
          Config& cfg,
          const std::string& source) {
    if (!node.IsMap()) {
        fail(location(source, node), prefix, "expected a mapping of keys");
    }
    for (const auto& kv : node) {
        if (!kv.first.IsScalar()) fail(location(source, kv.first), prefix, "expected a key name");
        const std::string key = kv.first.Scalar();
        if (prefix.empty() && key == "include") continue;  // handled by apply_document
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        const std::string where = location(source, kv.first);
        if (const Field* f = find_field(path)) {
            set_field(cfg, *f, node_text(*f, kv.second, where), where);
        } else if (is_section(path)) {
            if (!kv.second.IsNull()) walk(kv.second, path, cfg, source);
        } else {
            unknown_key(where, prefix, key);
        }
    }
}

}  // namespace

void apply_override(Config& cfg, const std::string& assignment) {
    const size_t eq = assignment.find('=');
    const std::string where = "--set " + assignment;
    if (eq == std::string::npos || eq == 0) fail(where, "", "expected key=value");
    const std::string path = assignment.substr(0, eq), value = assignment.substr(eq + 1);
    const Field* f = find_field(path);
    if (!f) {
        const size_t dot = path.rfind('.');
        unknown_key(where, dot == std::string::npos ? "" : path.substr(0, dot),
                    path.substr(dot == std::string::npos ? 0 : dot + 1));
    }
    YAML::Node node;
    try {
        node = YAML::Load(value);
    } catch (const YAML::Exception& e) {
        fail(where, path, std::string("cannot parse the value: ") + e.what());
    }
    set_field(cfg, *f, node_text(*f, node, where), where);
}

void validate_config(const Config& cfg) {
    auto check = [](bool ok, const std::string& path, const std::string& msg) {
        if (!ok) throw ConfigError("config: " + path + ": " + msg);
    };
    check(!cfg.task.name.empty(), "task.name",
          "missing; expected one of " + join(data::task_names()));
    check(cfg.train.batch_size % cfg.train.grad_accum == 0, "train.batch_size",
          "must be a multiple of train.grad_accum (" + std::to_string(cfg.train.grad_accum) + ")");
    const int64_t total = cfg.schedule.total_steps > 0 ? cfg.schedule.total_steps : cfg.train.steps;
    check(cfg.schedule.warmup_steps <= total, "schedule.warmup_steps",
          "exceeds the schedule length " + std::to_string(total));
    check(cfg.schedule.base_momentum <= cfg.schedule.max_momentum, "schedule.base_momentum",
          "must not exceed schedule.max_momentum");
    try {
        data::check_options_apply(cfg.task);
    } catch (const data::DataError& e) {
        throw ConfigError(std::string("config: task: ") + e.what());
    }
    try {
        nn::validate_attention_config(cfg.model.encoder.attention);
    } catch (const Error& e) {
        throw ConfigError(std::string("config: ") + e.what());
    }
}

namespace {

YAML::Node load_yaml(const std::string& yaml, const std::string& source) {
    try {
        return YAML::Load(yaml);
    } catch (const YAML::ParserException& e) {
        throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) +
                          ": invalid YAML: " + e.msg);
    }
}

std::string read_file(const std::string& path, const std::string& why) {
    std::error_code ec;  // a FIFO or device (include: /dev/stdin) would block or never end
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
        throw ConfigError(why + path + ": expected a config file, got a directory or device");
    }
    std::ifstream in(path);
    if (!in) throw ConfigError(why + path + ": cannot open the config file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Applies a config document: first the file named by its `include` key (relative to it, so
// per-attention configs share one base), then its own keys.
void apply_document(const YAML::Node& root,
                    const std::string& source,
                    Config& cfg,
                    std::vector<std::string>& chain) {
    if (root.IsNull()) return;
    if (!root.IsMap()) fail(location(source, root), "", "expected a mapping of sections");
    if (const YAML::Node inc = root["include"]) {
        if (!inc.IsScalar()) fail(location(source, inc), "include", "expected a file name");
        const std::filesystem::path base =
            std::filesystem::path(source).parent_path() / inc.Scalar();
        const std::string path = base.lexically_normal().string();
        for (const auto& seen : chain) {
            if (seen == path) fail(location(source, inc), "include", "cycle through " + path);
        }
        chain.push_back(path);
        apply_document(load_yaml(read_file(path, location(source, inc) + ": include: "), path),
                       path, cfg, chain);
    }
    walk(root, "", cfg, source);
}

}  // namespace

Config parse_config(const std::string& yaml,
                    const std::string& source,
                    const std::vector<std::string>& overrides) {
    Config cfg;
    cfg.source = source;
    std::vector<std::string> chain = {source};
    apply_document(load_yaml(yaml, source), source, cfg, chain);
    for (const auto& o : overrides)
        apply_override(cfg, o);
    validate_config(cfg);
    return cfg;
}

Config load_config_file(const std::string& path, const std::vector<std::string>& overrides) {
    return parse_config(read_file(path, ""), path, overrides);
}

namespace {

// root[a][b] or root[a][b][c] for a field path (keys are at most three levels deep).
YAML::Node slot(YAML::Node& root, const std::vector<std::string>& parts) {
    if (parts.size() == 2) return root[parts[0]][parts[1]];
    LM_ASSERT(parts.size() == 3, "config key depth");
    return root[parts[0]][parts[1]][parts[2]];
}

}  // namespace

std::string dump_config(const Config& cfg) {
    YAML::Node root;
    for (const Field& f : config_fields()) {
        if (f.applies && !f.applies(cfg)) continue;
        std::vector<std::string> parts;
        std::stringstream ss(f.key);
        for (std::string p; std::getline(ss, p, '.');)
            parts.push_back(p);
        const std::string value = f.get(cfg);
        YAML::Node node = slot(root, parts);
        if (f.is_list) {
            YAML::Node seq(YAML::NodeType::Sequence);
            std::stringstream items(value);
            for (std::string item; std::getline(items, item, ',');)
                seq.push_back(item);
            node = seq;
        } else {
            node = value;
        }
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

std::string describe_config() {
    const Config defaults;
    std::string md = "| key | type | default | meaning |\n|---|---|---|---|\n";
    for (const Field& f : config_fields()) {
        md += "| `" + f.key + "` | " + f.type + " | `" + f.get(defaults) + "` | " + f.doc + " |\n";
    }
    return md;
}

}  // namespace lm::train
