// summary.json in the run directory: the figures of a finished (or interrupted) run, which
// sweeps and benchmarks read back.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace lm::train {

// What a run returns and summary.json records.
struct TrainSummary {
    std::string run_dir;
    int64_t steps = 0;
    bool interrupted = false;
    int signal = 0;  // the signal that interrupted it (SIGINT, SIGTERM), else 0
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

nlohmann::json summary_to_json(const TrainSummary& s);
void write_summary(const TrainSummary& s, const nlohmann::json& extra);
// Reads RUN_DIR/summary.json; nullopt-like empty json when absent.
nlohmann::json read_summary(const std::string& run_dir);

}  // namespace lm::train
