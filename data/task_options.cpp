#include "data/task_options.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

namespace {

using Setter = std::function<void(TaskOptions&, const std::string&)>;
using Getter = std::function<std::string(const TaskOptions&)>;

struct OptionEntry {
    TaskOptionInfo info;
    Setter set;
    Getter get;
};

const std::vector<std::string> kEveryTask;
const std::vector<std::string> kTextTasks = {"spam", "brown-genre", "brown-match", "text"};

int64_t parse_integer(const std::string& value, int64_t lo, int64_t hi) {
    const std::string expected =
        "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    errno = 0;
    char* end = nullptr;
    const long long parsed = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno == ERANGE || parsed < lo || parsed > hi) {
        throw DataError(expected + ", got '" + value + "'");
    }
    return parsed;
}

OptionEntry integer_option(std::string key,
                           int64_t TaskOptions::*field,
                           int64_t lo,
                           int64_t hi,
                           std::string help,
                           std::vector<std::string> tasks = kEveryTask) {
    std::string type = "integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return {{std::move(key), type, "", std::move(help), std::move(tasks)},
            [=](TaskOptions& o, const std::string& v) { o.*field = parse_integer(v, lo, hi); },
            [=](const TaskOptions& o) { return std::to_string(o.*field); }};
}

OptionEntry string_option(std::string key,
                          std::string TaskOptions::*field,
                          std::string help,
                          std::vector<std::string> tasks = kEveryTask) {
    return {{std::move(key), "string", "", std::move(help), std::move(tasks)},
            [=](TaskOptions& o, const std::string& v) { o.*field = v; },
            [=](const TaskOptions& o) { return o.*field; }};
}

OptionEntry choice_option(std::string key,
                          std::string TaskOptions::*field,
                          std::vector<std::string> choices,
                          std::string help,
                          std::vector<std::string> tasks = kEveryTask) {
    std::string type = "one of " + join(choices, "|");
    auto set = [=](TaskOptions& o, const std::string& v) {
        for (const auto& choice : choices) {
            if (v == choice) {
                o.*field = v;
                return;
            }
        }
        throw DataError("expected one of " + join(choices, ", ") + ", got '" + v + "'");
    };
    return {{std::move(key), type, "", std::move(help), std::move(tasks)},
            set,
            [=](const TaskOptions& o) { return o.*field; }};
}

bool parse_bool(const std::string& value) {
    if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
    if (value == "false" || value == "0" || value == "no" || value == "off") return false;
    throw DataError("expected true or false, got '" + value + "'");
}

OptionEntry bool_option(std::string key,
                        bool TaskOptions::*field,
                        std::string help,
                        std::vector<std::string> tasks = kEveryTask) {
    return {{std::move(key), "bool", "", std::move(help), std::move(tasks)},
            [=](TaskOptions& o, const std::string& v) { o.*field = parse_bool(v); },
            [=](const TaskOptions& o) { return std::string(o.*field ? "true" : "false"); }};
}

OptionEntry fraction_option(std::string key,
                            double TaskOptions::*field,
                            std::string help,
                            std::vector<std::string> tasks) {
    auto set = [=](TaskOptions& o, const std::string& v) {
        char* end = nullptr;
        const double parsed = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0' || !(parsed >= 0.0 && parsed < 1.0)) {
            throw DataError("expected a fraction in [0, 1), got '" + v + "'");
        }
        o.*field = parsed;
    };
    auto get = [=](const TaskOptions& o) {
        std::ostringstream out;
        out << o.*field;
        return out.str();
    };
    return {{std::move(key), "number in [0, 1)", "", std::move(help), std::move(tasks)}, set, get};
}

// The task name must be registered (a typo fails where it is set, with a suggestion). Empty
// means "not chosen yet", the default; building a task without a name fails there.
OptionEntry name_option() {
    auto set = [](TaskOptions& o, const std::string& v) {
        const std::vector<std::string> names = task_names();
        if (!v.empty() && std::find(names.begin(), names.end(), v) == names.end()) {
            throw DataError("expected a task name, got '" + v + "'" + did_you_mean(v, names));
        }
        o.name = v;
    };
    return {
        {"name", "string", "", "task name", {}}, set, [](const TaskOptions& o) { return o.name; }};
}

OptionEntry seed_option() {
    auto set = [](TaskOptions& o, const std::string& v) {
        errno = 0;
        char* end = nullptr;
        const unsigned long long parsed = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || v[0] == '-' || *end != '\0' || errno == ERANGE) {
            throw DataError("expected a non-negative 64-bit integer, got '" + v + "'");
        }
        o.seed = parsed;
    };
    return {{"seed", "unsigned 64-bit integer", "", "generation, sampling and split seed", {}},
            set,
            [](const TaskOptions& o) { return std::to_string(o.seed); }};
}

OptionEntry labels_option() {
    auto set = [](TaskOptions& o, const std::string& v) {
        o.labels.clear();
        if (trim(v).empty()) return;
        for (const auto& label : split(v, ',')) {
            const auto trimmed = std::string(trim(label));
            if (trimmed.empty()) {
                throw DataError("expected comma-separated labels, got '" + v + "'");
            }
            o.labels.push_back(trimmed);
        }
    };
    return {{"labels",
             "comma-separated list",
             "",
             "fixed label order (id = position); default: sorted labels of the train file",
             {"text"}},
            set,
            [](const TaskOptions& o) { return join(o.labels, ","); }};
}

std::vector<OptionEntry> common_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(name_option());
    entries.push_back(seed_option());
    entries.push_back(string_option("data_dir", &TaskOptions::data_dir,
                                    "npm dataset directory; empty = $LANDMARK_DATA_DIR or "
                                    "~/.cache/landmark"));
    entries.push_back(bool_option("cache", &TaskOptions::cache,
                                  "read and write the binary cache of encoded splits"));
    entries.push_back(string_option("cache_dir", &TaskOptions::cache_dir,
                                    "cache directory; empty = <data_dir>/cache"));
    entries.push_back(integer_option("threads", &TaskOptions::threads, 0, 1024,
                                     "generator threads; 0 = all cores"));
    const char* size_help = "examples in the split; -1 = task default (datasets: all)";
    entries.push_back(
        integer_option("train_size", &TaskOptions::train_size, -1, 1000000000, size_help));
    entries.push_back(integer_option("validation_size", &TaskOptions::validation_size, -1,
                                     1000000000, size_help));
    entries.push_back(
        integer_option("test_size", &TaskOptions::test_size, -1, 1000000000, size_help));
    entries.push_back(bool_option("skip_bad_lines", &TaskOptions::skip_bad_lines,
                                  "skip malformed input lines with a count instead of failing",
                                  {"text", "brown-genre", "brown-match"}));
    return entries;
}

std::vector<OptionEntry> generator_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(integer_option("min_length", &TaskOptions::min_length, -1, 1000000000,
                                     "listops: keep trees longer than this; -1 = 500",
                                     {"listops"}));
    entries.push_back(integer_option(
        "max_length", &TaskOptions::max_length, -1, 1000000000,
        "listops: keep trees shorter than this (-1 = 2000); text tasks: truncate to this "
        "many tokens (-1 = spam 4096, brown-genre 4000, brown-match 2000, text 4096)",
        {"listops", "spam", "brown-genre", "brown-match", "text"}));
    entries.push_back(integer_option("max_depth", &TaskOptions::max_depth, 1, 64,
                                     "listops: maximum tree depth", {"listops"}));
    entries.push_back(integer_option("max_args", &TaskOptions::max_args, 2, 100,
                                     "listops: maximum arguments per operator", {"listops"}));
    entries.push_back(integer_option("contour_length", &TaskOptions::contour_length, 2, 20,
                                     "pathfinder: paddles per target contour (6, 9 or 14 in "
                                     "LRA)",
                                     {"pathfinder"}));
    return entries;
}

std::vector<OptionEntry> text_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(choice_option("variant", &TaskOptions::variant, {"", "2", "3", "4", "15"},
                                    "brown-genre: 15|4|2 classes (default 15); spam: 2|3 "
                                    "classes (default 2)",
                                    {"brown-genre", "spam"}));
    entries.push_back(choice_option("negatives", &TaskOptions::negatives, {"random", "same-genre"},
                                    "brown-match: where negative passages come from",
                                    {"brown-match"}));
    entries.push_back(integer_option("passage_bytes", &TaskOptions::passage_bytes, -1, 1000000,
                                     "brown: passage size in bytes; -1 = 4000 (genre), 2000 "
                                     "(match)",
                                     {"brown-genre", "brown-match"}));
    entries.push_back(choice_option("headers", &TaskOptions::headers, {"strip", "keep"},
                                    "spam: drop the headers (everything before the first "
                                    "blank line) or keep them",
                                    {"spam"}));
    entries.push_back(choice_option("tokenizer", &TaskOptions::tokenizer, {"byte", "sentencepiece"},
                                    "text tokenizer", kTextTasks));
    entries.push_back(string_option("tokenizer_model", &TaskOptions::tokenizer_model,
                                    "sentencepiece: a .model file or a tokenizer .json",
                                    kTextTasks));
    entries.push_back(
        choice_option("truncation", &TaskOptions::truncation, {"head", "tail", "head+tail"},
                      "which tokens to keep when a text exceeds max_length", kTextTasks));
    return entries;
}

std::vector<OptionEntry> file_entries() {
    const std::vector<std::string> text = {"text"};
    std::vector<OptionEntry> entries;
    entries.push_back(choice_option("format", &TaskOptions::format, {"auto", "tsv", "jsonl"},
                                    "input format; auto: .jsonl/.json = JSONL, else TSV", text));
    entries.push_back(string_option("file", &TaskOptions::file,
                                    "one file split by a seeded hash of each text", text));
    entries.push_back(
        string_option("train_file", &TaskOptions::train_file, "train split file", text));
    entries.push_back(string_option("validation_file", &TaskOptions::validation_file,
                                    "validation split file (optional)", text));
    entries.push_back(
        string_option("test_file", &TaskOptions::test_file, "test split file (optional)", text));
    entries.push_back(fraction_option("validation_fraction", &TaskOptions::validation_fraction,
                                      "share of `file` used for validation", text));
    entries.push_back(fraction_option("test_fraction", &TaskOptions::test_fraction,
                                      "share of `file` used for test", text));
    entries.push_back(labels_option());
    entries.push_back(string_option("fashion_mnist_dir", &TaskOptions::fashion_mnist_dir,
                                    "directory of the Fashion-MNIST IDX .gz files",
                                    {"fashion-mnist"}));
    return entries;
}

const std::vector<OptionEntry>& entries() {
    static const std::vector<OptionEntry> all = [] {
        std::vector<OptionEntry> out;
        for (auto group : {common_entries, generator_entries, text_entries, file_entries}) {
            for (auto& entry : group()) {
                out.push_back(std::move(entry));
            }
        }
        const TaskOptions defaults;
        for (auto& entry : out) {
            entry.info.default_value = entry.get(defaults);
        }
        return out;
    }();
    return all;
}

const OptionEntry* find_entry(const std::string& key) {
    for (const auto& entry : entries()) {
        if (entry.info.key == key) return &entry;
    }
    return nullptr;
}

}  // namespace

void set_task_option(TaskOptions& options, const std::string& key, const std::string& value) {
    const OptionEntry* entry = find_entry(key);
    if (!entry) {
        throw DataError("unknown task option '" + key + "'" +
                        did_you_mean(key, task_option_names()));
    }
    entry->set(options, value);
    options.explicitly_set.insert(key);
}

void apply_task_option(TaskOptions& options, const std::string& assignment) {
    const size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
        throw DataError("expected key=value, got '" + assignment + "'");
    }
    set_task_option(options, assignment.substr(0, equals), assignment.substr(equals + 1));
}

std::vector<std::string> task_option_names() {
    std::vector<std::string> names;
    for (const auto& entry : entries()) {
        names.push_back(entry.info.key);
    }
    return names;
}

std::map<std::string, std::string> task_option_values(const TaskOptions& options) {
    std::map<std::string, std::string> values;
    for (const auto& entry : entries()) {
        values[entry.info.key] = entry.get(options);
    }
    return values;
}

const std::vector<TaskOptionInfo>& task_option_table() {
    static const std::vector<TaskOptionInfo> table = [] {
        std::vector<TaskOptionInfo> out;
        for (const auto& entry : entries()) {
            out.push_back(entry.info);
        }
        return out;
    }();
    return table;
}

void check_options_apply(const TaskOptions& options) {
    for (const auto& key : options.explicitly_set) {
        const OptionEntry* entry = find_entry(key);
        if (!entry || entry->info.tasks.empty()) continue;
        bool applies = false;
        for (const auto& task : entry->info.tasks) {
            applies = applies || task == options.name;
        }
        if (!applies) {
            throw DataError("task option '" + key + "' does not apply to task '" + options.name +
                            "' (it is read by: " + join(entry->info.tasks, ", ") + ")");
        }
    }
}

std::string resolved_data_dir(const TaskOptions& options) {
    if (!options.data_dir.empty()) return options.data_dir;
    if (const char* env = std::getenv("LANDMARK_DATA_DIR"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.cache/landmark";
}

std::string resolved_cache_dir(const TaskOptions& options) {
    if (!options.cache_dir.empty()) return options.cache_dir;
    return resolved_data_dir(options) + "/cache";
}

}  // namespace lm::data
