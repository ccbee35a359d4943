// Tasks: named datasets with train/validation/test splits of encoded examples.
//
// make_task(options) creates a task by name; its splits are built (generated, or read from the
// local dataset packages) on first use, deterministically from options.seed, and cached on disk
// (see data/cache.h). Every task reports its vocabulary size, classes and maximum length.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/task_options.h"
#include "data/tokenizer.h"

namespace lm::data {

enum class Split { Train, Validation, Test };
inline constexpr std::array<Split, 3> kAllSplits = {Split::Train, Split::Validation, Split::Test};
std::string split_name(Split split);  // "train", "validation", "test"
// Accepts train, validation (or val, dev) and test; throws DataError otherwise.
Split parse_split(const std::string& name);

struct TaskInfo {
    std::string name;
    int64_t vocab_size = 0;   // including PAD (0) and CLS (1)
    int64_t num_classes = 0;  // 0: unlabeled (corpus)
    int64_t max_length = 0;   // longest sequence the task produces (without CLS)
    bool paired = false;      // examples carry tokens2 (dual-encoder matching)
    std::vector<std::string> class_names;
    int64_t image_width = 0;  // image tasks: pixels are row-major tokens; 0 for text
    int64_t image_height = 0;
    int32_t mask_id = -1;  // corpus tasks: the MASK token (the last id of the vocabulary)
};

struct Example {
    std::vector<int32_t> tokens;
    std::vector<int32_t> tokens2;  // second sequence of paired tasks, else empty
    int32_t label = 0;

    bool operator==(const Example&) const = default;
};

class Task {
  public:
    virtual ~Task();
    virtual TaskInfo info() const = 0;
    virtual const std::vector<Example>& examples(Split split) = 0;
    virtual const Tokenizer& tokenizer() const = 0;
    // The label map to store with a model ({"labels": [...]}, id = position); every task has
    // one, text tasks derive it from their data.
    virtual nlohmann::json label_map_json() const;
    // Text tasks: the raw (untokenised) texts of a split, in example order, for tokenizer
    // training and inspection. Empty for generated and image tasks.
    virtual bool has_text() const { return false; }
    virtual std::vector<std::string> texts(Split split);
    // Malformed input lines skipped because of skip_bad_lines.
    virtual int64_t skipped_bad_lines() const { return 0; }
};

// Throws DataError for an unknown name (listing the names and the closest match), for options
// that do not apply to the task, and for missing datasets (naming the install command).
std::unique_ptr<Task> make_task(const TaskOptions& options);
// task_names() is declared in data/task_options.h.

}  // namespace lm::data
