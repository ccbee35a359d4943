// The report of an attention sweep: results.md (accuracy, throughput and memory per attention
// type, mean and spread over seeds) and validation curves as SVG, from the runs' summary.json
// and metrics.jsonl.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lm::train {

struct SweepRun {
    std::string attention;
    uint64_t seed = 0;
    std::string run_dir;
};

std::string sweep_results_markdown(const std::vector<SweepRun>& runs, const std::string& title);
std::string sweep_curves_svg(const std::vector<SweepRun>& runs, const std::string& title);

}  // namespace lm::train
