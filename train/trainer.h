// The training loop: periodic evaluation, best-checkpoint selection on validation, a final test
// of the best checkpoint, checkpoints written atomically, exact resume, SIGINT handling.
#pragma once

#include <string>

#include "train/config.h"
#include "train/report/summary.h"

namespace lm::train {

struct TrainOptions {
    std::string run_dir;  // overrides run.dir
    bool resume = false;  // continue from the run dir's latest checkpoint
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
