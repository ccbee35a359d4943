// summary.json in the run directory: the figures of a finished (or interrupted) run, which
// sweeps and benchmarks read back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "train/trainer.h"

namespace lm::train {

nlohmann::json summary_to_json(const TrainSummary& s);
void write_summary(const TrainSummary& s, const nlohmann::json& extra);
// Reads RUN_DIR/summary.json; nullopt-like empty json when absent.
nlohmann::json read_summary(const std::string& run_dir);

}  // namespace lm::train
