// The training loop: periodic evaluation, best-checkpoint selection on validation, a final test
// of the best checkpoint, checkpoints written atomically, exact resume, SIGINT handling.
#pragma once

#include <string>

#include "train/config.h"

namespace lm::train {

struct TrainOptions {
    std::string run_dir;  // overrides run.dir
    bool resume = false;  // continue from the run dir's latest checkpoint
};

struct TrainSummary {
    std::string run_dir;
    int64_t steps = 0;
    bool interrupted = false;
    double best_val_accuracy = -1;
    int64_t best_step = -1;
    double test_accuracy = -1;
    double test_loss = -1;
    double tokens_per_s = 0;  // training throughput (real tokens), evaluation excluded
    double train_seconds = 0;
    int64_t peak_tensor_bytes = 0;  // the allocator's peak of live tensor memory
    int64_t peak_rss_bytes = 0;
    int64_t skipped_batches = 0;
};

// Raised for a failure during training (non-finite loss with nonfinite=stop, ...): exit code 1.
class TrainingError : public Error {
  public:
    explicit TrainingError(const std::string& message) : Error(message) {}
};

TrainSummary run_training(Config cfg, const TrainOptions& options);

// The run directory a config trains into ("runs/<config file stem>" unless set).
std::string default_run_dir(const Config& cfg);

}  // namespace lm::train
