// Options of every task in one typed struct, settable by key from YAML or `--opt key=value`.
//
// A value of -1 (or an empty string) means "the task's own default" where a field's meaning
// depends on the task; data/README.md lists every key with its type, default and meaning, and
// `task_option_table()` carries the same information for help output.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lm::data {

struct TaskOptions {
    std::string name;              // task registry name, see task_names()
    uint64_t seed = 0;             // generation, sampling and hash-split seed
    std::string data_dir;          // npm datasets; "" = $LANDMARK_DATA_DIR or ~/.cache/landmark
    bool cache = true;             // read/write the binary cache of encoded splits
    std::string cache_dir;         // "" = <data_dir>/cache
    int64_t threads = 0;           // generator threads; 0 = all cores
    int64_t train_size = -1;       // -1 = task default (generated tasks) or everything
    int64_t validation_size = -1;  //      (datasets: a positive value keeps the first N)
    int64_t test_size = -1;
    int64_t min_length = -1;      // listops: lengths must exceed this (default 500)
    int64_t max_length = -1;      // listops: lengths stay below it (2000); text: truncate to it
    int64_t max_depth = 10;       // listops: depth of the tree (operators at depth < max_depth)
    int64_t max_args = 10;        // listops: arguments per operator, 2..max_args
    int64_t contour_length = 14;  // pathfinder: paddles per target contour (LRA: 6, 9, 14)
    std::string variant;          // brown-genre: 15|4|2 classes; spam: 2|3 classes
    std::string negatives = "random";  // brown-match: random|same-genre negative passages
    int64_t passage_bytes = -1;        // brown: passage size (genre 4000, match 2000)
    std::string headers = "strip";     // spam: strip|keep the mail headers
    std::string tokenizer = "byte";    // text tasks: byte|sentencepiece
    std::string tokenizer_model;       // sentencepiece: a .model file or tokenizer .json
    std::string truncation = "head";   // text tasks: head|tail|head+tail
    std::string format = "auto";       // text: auto|tsv|jsonl (auto: from the extension)
    std::string file;                  // text: one file, split by a seeded hash of the text
    std::string train_file;            // text: separate split files (validation/test optional)
    std::string validation_file;
    std::string test_file;
    double validation_fraction = 0.1;  // text with `file`: share of validation examples
    double test_fraction = 0.1;        // text with `file`: share of test examples
    std::vector<std::string> labels;   // text: fixed label order (else from the train file)
    bool skip_bad_lines = false;       // skip malformed lines with a count instead of failing
    std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
    std::string source = "files";     // corpus: files|brown|a text task's name
    std::vector<std::string> files;   // corpus: plain-text files
    std::string documents = "lines";  // corpus: lines|paragraphs
    std::string packing = "pack";     // corpus: pack|chunk

    std::set<std::string> explicitly_set;  // keys given by the user (for applicability checks)
};

// Sets one option by key (the table is built with core/base/options.h). Throws DataError("expected
// ..., got ...") for a bad value and DataError("unknown task option ...") for an unknown key; no
// location, callers add it.
void set_task_option(TaskOptions& options, const std::string& key, const std::string& value);
// Applies "key=value" (the CLI's --opt form); throws DataError for a missing '='.
void apply_task_option(TaskOptions& options, const std::string& assignment);
// Names of the registered tasks (defined with the registry in data/task.cpp).
std::vector<std::string> task_names();
// Every key, in table order.
std::vector<std::string> task_option_names();
// Every option's current value as the string set_task_option accepts.
std::map<std::string, std::string> task_option_values(const TaskOptions& options);

struct TaskOptionInfo {
    std::string key;
    std::string type;           // "integer", "string", "bool", "one of a|b", ...
    std::string default_value;  // as text
    std::string help;
    std::vector<std::string> tasks;  // tasks that read it; empty = every task
    bool is_list = false;            // a comma-separated list (a YAML sequence in configs)
};
const std::vector<TaskOptionInfo>& task_option_table();

// Throws DataError if the user set an option that the named task does not read.
void check_options_apply(const TaskOptions& options);

// data_dir and cache_dir with their defaults resolved.
std::string resolved_data_dir(const TaskOptions& options);
std::string resolved_cache_dir(const TaskOptions& options);

}  // namespace lm::data
