// Base of the concrete tasks: builds all three splits on first use, through the binary cache.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "data/cache.h"
#include "data/task.h"

namespace lm::data {

class DatasetTask : public Task {
  public:
    explicit DatasetTask(TaskOptions options);
    TaskInfo info() const final;
    const std::vector<Example>& examples(Split split) final;
    int64_t skipped_bad_lines() const override;

  protected:
    // Generates or reads all splits. meta may carry what describe() needs (class names...);
    // set meta["skipped_bad_lines"] when lines were skipped.
    virtual CachedDataset build() const = 0;
    // Identity of the input files (see file_identity), part of the cache fingerprint.
    virtual nlohmann::json sources() const { return nullptr; }
    // The task's info; may call meta(), which loads the data.
    virtual TaskInfo describe() const = 0;

    const TaskOptions& options() const { return options_; }
    const nlohmann::json& meta() const;
    // Everything the built contents depend on, as canonical JSON.
    std::string fingerprint() const;

  private:
    void ensure_loaded() const;
    CachedDataset load_or_build() const;

    TaskOptions options_;
    mutable std::mutex mutex_;
    mutable bool loaded_ = false;
    mutable CachedDataset data_;
};

// {"path", "size", "mtime"} of a file, or null when it does not exist.
nlohmann::json file_identity(const std::string& path);

// Resolves a -1 ("task default") option value.
inline int64_t or_default(int64_t value, int64_t fallback) {
    return value < 0 ? fallback : value;
}

}  // namespace lm::data
