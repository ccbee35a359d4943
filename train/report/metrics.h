// metrics.jsonl in the run directory: one JSON object per line, appended and flushed as it is
// produced, so a killed run keeps every record up to its last line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lm::train {

class MetricsLog {
  public:
    explicit MetricsLog(std::string path) : path_(std::move(path)) {}
    void append(const nlohmann::json& record) const;
    // On resume: drops records of steps after `step` (they belong to the lost tail of the run).
    void truncate_after(int64_t step) const;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// Peak resident set size of this process in bytes (getrusage).
int64_t peak_rss_bytes();

}  // namespace lm::train
