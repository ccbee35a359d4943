// Split statistics for `landmark data stats`: sizes, label histograms, length percentiles.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/task.h"

namespace lm::data {

struct LengthSummary {
    int64_t min = 0, p10 = 0, p50 = 0, p90 = 0, max = 0;
    double mean = 0;
};

struct SplitStats {
    int64_t examples = 0;
    std::vector<int64_t> label_counts;  // [num_classes]
    LengthSummary lengths;
    std::optional<LengthSummary> lengths2;  // paired tasks
};

// Nearest-rank percentiles; all zero for no lengths.
LengthSummary summarize_lengths(std::vector<int64_t> lengths);
// Throws DataError if a label lies outside [0, num_classes).
SplitStats compute_split_stats(const std::vector<Example>& examples, int64_t num_classes);
// A human-readable report of the task and its three splits.
std::string format_task_stats(const TaskInfo& info,
                              const std::string& tokenizer,
                              const std::array<SplitStats, 3>& splits);

}  // namespace lm::data
