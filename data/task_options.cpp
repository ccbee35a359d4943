#include "data/task_options.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>

#include "core/base/options.h"
#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

namespace {

// An option of the table and the tasks that read it (empty: every task).
struct OptionEntry {
    Option<TaskOptions> option;
    std::vector<std::string> tasks;
    std::string default_value;
};

const std::vector<std::string> kEveryTask;
const std::vector<std::string> kTextTasks = {"spam", "brown-genre", "brown-match", "text",
                                             "corpus"};

OptionEntry integer_entry(std::string key,
                          int64_t TaskOptions::*field,
                          int64_t lo,
                          int64_t hi,
                          std::string help,
                          std::vector<std::string> tasks = kEveryTask) {
    return {integer_option<TaskOptions>(std::move(key), field, lo, hi, std::move(help)),
            std::move(tasks), ""};
}

OptionEntry string_entry(std::string key,
                         std::string TaskOptions::*field,
                         std::string help,
                         std::vector<std::string> tasks = kEveryTask) {
    return {string_option<TaskOptions>(std::move(key), field, std::move(help)), std::move(tasks),
            ""};
}

OptionEntry choice_entry(std::string key,
                         std::string TaskOptions::*field,
                         std::vector<std::string> choices,
                         std::string help,
                         std::vector<std::string> tasks = kEveryTask) {
    return {choice_option<TaskOptions>(std::move(key), field, std::move(choices), std::move(help)),
            std::move(tasks), ""};
}

OptionEntry bool_entry(std::string key,
                       bool TaskOptions::*field,
                       std::string help,
                       std::vector<std::string> tasks = kEveryTask) {
    return {bool_option<TaskOptions>(std::move(key), field, std::move(help)), std::move(tasks), ""};
}

// A share of the examples, in [0, 1).
OptionEntry fraction_entry(std::string key,
                           double TaskOptions::*field,
                           std::string help,
                           std::vector<std::string> tasks) {
    Option<TaskOptions> o =
        number_option<TaskOptions>(std::move(key), field, 0.0, 1.0, true, std::move(help));
    o.set = [field](TaskOptions& t, const std::string& v) {
        t.*field = parse_number(v, 0.0, 1.0, true, "a fraction in [0, 1)");
    };
    return {std::move(o), std::move(tasks), ""};
}

OptionEntry custom_entry(std::string key,
                         std::string type,
                         std::string help,
                         std::function<void(TaskOptions&, const std::string&)> set,
                         std::function<std::string(const TaskOptions&)> get,
                         std::vector<std::string> tasks = kEveryTask) {
    return {
        {std::move(key), std::move(type), std::move(help), false, std::move(set), std::move(get)},
        std::move(tasks),
        ""};
}

// The task name must be registered (a typo fails where it is set, with a suggestion). Empty
// means "not chosen yet", the default; building a task without a name fails there.
OptionEntry name_option() {
    auto set = [](TaskOptions& o, const std::string& v) {
        const std::vector<std::string> names = task_names();
        if (!v.empty() && std::find(names.begin(), names.end(), v) == names.end()) {
            throw_expected("a task name", v, did_you_mean(v, names));
        }
        o.name = v;
    };
    return custom_entry("name", "string", "task name", set,
                        [](const TaskOptions& o) { return o.name; });
}

OptionEntry seed_option() {
    auto set = [](TaskOptions& o, const std::string& v) {
        errno = 0;
        char* end = nullptr;
        const unsigned long long parsed = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || v[0] == '-' || *end != '\0' || errno == ERANGE) {
            throw_expected("a non-negative 64-bit integer", v);
        }
        o.seed = parsed;
    };
    return custom_entry("seed", "unsigned 64-bit integer", "generation, sampling and split seed",
                        set, [](const TaskOptions& o) { return std::to_string(o.seed); });
}

// A comma-separated list (a YAML sequence in configs) of non-empty, trimmed items.
OptionEntry list_entry(std::string key,
                       std::vector<std::string> TaskOptions::*field,
                       std::string help,
                       std::string items,
                       std::vector<std::string> tasks) {
    auto set = [field, items](TaskOptions& o, const std::string& v) {
        (o.*field).clear();
        if (trim(v).empty()) return;
        for (const auto& item : split(v, ',')) {
            const auto trimmed = std::string(trim(item));
            if (trimmed.empty()) throw_expected("comma-separated " + items, v);
            (o.*field).push_back(trimmed);
        }
    };
    OptionEntry entry = custom_entry(
        std::move(key), "comma-separated list", std::move(help), set,
        [field](const TaskOptions& o) { return join(o.*field, ","); }, std::move(tasks));
    entry.option.is_list = true;
    return entry;
}

OptionEntry labels_option() {
    return list_entry("labels", &TaskOptions::labels,
                      "fixed label order (id = position); default: sorted labels of the train file",
                      "labels", {"text"});
}

std::vector<OptionEntry> common_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(name_option());
    entries.push_back(seed_option());
    entries.push_back(string_entry("data_dir", &TaskOptions::data_dir,
                                   "npm dataset directory; empty = $LANDMARK_DATA_DIR or "
                                   "~/.cache/landmark"));
    entries.push_back(bool_entry("cache", &TaskOptions::cache,
                                 "read and write the binary cache of encoded splits"));
    entries.push_back(string_entry("cache_dir", &TaskOptions::cache_dir,
                                   "cache directory; empty = <data_dir>/cache"));
    entries.push_back(integer_entry("threads", &TaskOptions::threads, 0, 1024,
                                    "generator threads; 0 = all cores"));
    const char* size_help = "examples in the split; -1 = task default (datasets: all)";
    entries.push_back(
        integer_entry("train_size", &TaskOptions::train_size, -1, 1000000000, size_help));
    entries.push_back(
        integer_entry("validation_size", &TaskOptions::validation_size, -1, 1000000000, size_help));
    entries.push_back(
        integer_entry("test_size", &TaskOptions::test_size, -1, 1000000000, size_help));
    entries.push_back(bool_entry("skip_bad_lines", &TaskOptions::skip_bad_lines,
                                 "skip malformed input lines with a count instead of failing",
                                 {"text", "brown-genre", "brown-match", "corpus"}));
    return entries;
}

std::vector<OptionEntry> generator_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(integer_entry("min_length", &TaskOptions::min_length, -1, 1000000000,
                                    "listops: keep trees longer than this; -1 = 500", {"listops"}));
    entries.push_back(integer_entry(
        "max_length", &TaskOptions::max_length, -1, 1000000000,
        "listops: keep trees shorter than this (-1 = 2000); text tasks: truncate to this "
        "many tokens (-1 = spam 4096, brown-genre 4000, brown-match 2000, text 4096); corpus: "
        "sequence length (-1 = 512)",
        {"listops", "spam", "brown-genre", "brown-match", "text", "corpus"}));
    entries.push_back(integer_entry("max_depth", &TaskOptions::max_depth, 1, 64,
                                    "listops: maximum tree depth", {"listops"}));
    entries.push_back(integer_entry("max_args", &TaskOptions::max_args, 2, 100,
                                    "listops: maximum arguments per operator", {"listops"}));
    entries.push_back(integer_entry("contour_length", &TaskOptions::contour_length, 2, 20,
                                    "pathfinder: paddles per target contour (6, 9 or 14 in "
                                    "LRA)",
                                    {"pathfinder"}));
    return entries;
}

std::vector<OptionEntry> text_entries() {
    std::vector<OptionEntry> entries;
    entries.push_back(choice_entry("variant", &TaskOptions::variant, {"", "2", "3", "4", "15"},
                                   "brown-genre: 15|4|2 classes (default 15); spam: 2|3 "
                                   "classes (default 2)",
                                   {"brown-genre", "spam"}));
    entries.push_back(choice_entry("negatives", &TaskOptions::negatives, {"random", "same-genre"},
                                   "brown-match: where negative passages come from",
                                   {"brown-match"}));
    entries.push_back(integer_entry("passage_bytes", &TaskOptions::passage_bytes, -1, 1000000,
                                    "brown: passage size in bytes; -1 = 4000 (genre), 2000 "
                                    "(match)",
                                    {"brown-genre", "brown-match"}));
    entries.push_back(choice_entry("headers", &TaskOptions::headers, {"strip", "keep"},
                                   "spam: drop the headers (everything before the first "
                                   "blank line) or keep them",
                                   {"spam"}));
    entries.push_back(choice_entry("tokenizer", &TaskOptions::tokenizer, {"byte", "sentencepiece"},
                                   "text tokenizer", kTextTasks));
    entries.push_back(string_entry("tokenizer_model", &TaskOptions::tokenizer_model,
                                   "sentencepiece: a .model file or a tokenizer .json",
                                   kTextTasks));
    entries.push_back(choice_entry("truncation", &TaskOptions::truncation,
                                   {"head", "tail", "head+tail"},
                                   "which tokens to keep when a text exceeds max_length",
                                   {"spam", "brown-genre", "brown-match", "text"}));
    return entries;
}

std::vector<OptionEntry> file_entries() {
    const std::vector<std::string> text = {"text"};
    std::vector<OptionEntry> entries;
    entries.push_back(choice_entry("format", &TaskOptions::format, {"auto", "tsv", "jsonl"},
                                   "input format; auto: .jsonl/.json = JSONL, else TSV", text));
    entries.push_back(string_entry("file", &TaskOptions::file,
                                   "one file split by a seeded hash of each text", text));
    entries.push_back(
        string_entry("train_file", &TaskOptions::train_file, "train split file", text));
    entries.push_back(string_entry("validation_file", &TaskOptions::validation_file,
                                   "validation split file (optional)", text));
    entries.push_back(
        string_entry("test_file", &TaskOptions::test_file, "test split file (optional)", text));
    entries.push_back(fraction_entry("validation_fraction", &TaskOptions::validation_fraction,
                                     "share of `file` (corpus: of the documents of `files`) used "
                                     "for validation",
                                     {"text", "corpus"}));
    entries.push_back(fraction_entry("test_fraction", &TaskOptions::test_fraction,
                                     "share of `file` (corpus: of `files`) used for test",
                                     {"text", "corpus"}));
    entries.push_back(labels_option());
    entries.push_back(string_entry("fashion_mnist_dir", &TaskOptions::fashion_mnist_dir,
                                   "directory of the Fashion-MNIST IDX .gz files",
                                   {"fashion-mnist"}));
    return entries;
}

std::vector<OptionEntry> corpus_entries() {
    const std::vector<std::string> corpus = {"corpus"};
    std::vector<OptionEntry> entries;
    entries.push_back(choice_entry("source", &TaskOptions::source,
                                   {"files", "brown", "spam", "brown-genre", "brown-match", "text"},
                                   "corpus: plain-text `files`, the Brown corpus (split by file "
                                   "as the brown tasks), or a text task's texts without labels",
                                   corpus));
    entries.push_back(list_entry("files", &TaskOptions::files,
                                 "corpus: plain-text files (source: files)", "file paths", corpus));
    entries.push_back(choice_entry("documents", &TaskOptions::documents, {"lines", "paragraphs"},
                                   "corpus files: a document per line, or blank-line separated",
                                   corpus));
    entries.push_back(choice_entry("packing", &TaskOptions::packing, {"pack", "chunk"},
                                   "corpus: concatenate documents and cut every max_length "
                                   "tokens, or cut each document on its own",
                                   corpus));
    return entries;
}

const std::vector<OptionEntry>& entries() {
    static const std::vector<OptionEntry> all = [] {
        std::vector<OptionEntry> out;
        for (auto group :
             {common_entries, generator_entries, text_entries, file_entries, corpus_entries}) {
            for (auto& entry : group()) {
                out.push_back(std::move(entry));
            }
        }
        const TaskOptions defaults;
        for (auto& entry : out) {
            entry.default_value = entry.option.get(defaults);
        }
        return out;
    }();
    return all;
}

const OptionEntry* find_entry(const std::string& key) {
    for (const auto& entry : entries()) {
        if (entry.option.key == key) return &entry;
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
    try {
        entry->option.set(options, value);
    } catch (const OptionError& e) {
        throw DataError(e.what());
    }
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
        names.push_back(entry.option.key);
    }
    return names;
}

std::map<std::string, std::string> task_option_values(const TaskOptions& options) {
    std::map<std::string, std::string> values;
    for (const auto& entry : entries()) {
        values[entry.option.key] = entry.option.get(options);
    }
    return values;
}

const std::vector<TaskOptionInfo>& task_option_table() {
    static const std::vector<TaskOptionInfo> table = [] {
        std::vector<TaskOptionInfo> out;
        for (const auto& entry : entries()) {
            const Option<TaskOptions>& o = entry.option;
            out.push_back({o.key, o.type, entry.default_value, o.doc, entry.tasks, o.is_list});
        }
        return out;
    }();
    return table;
}

void check_options_apply(const TaskOptions& options) {
    for (const auto& key : options.explicitly_set) {
        const OptionEntry* entry = find_entry(key);
        if (!entry || entry->tasks.empty()) continue;
        bool applies = false;
        for (const auto& task : entry->tasks) {
            // a corpus builds its source task, which reads that task's options
            applies = applies || task == options.name ||
                      (options.name == "corpus" && task == options.source);
        }
        if (!applies) {
            throw DataError("task option '" + key + "' does not apply to task '" + options.name +
                            "' (it is read by: " + join(entry->tasks, ", ") + ")");
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
