// Training curves of runs from their metrics.jsonl (one JSON record per log line and
// evaluation): training loss and validation accuracy against the step, drawn side by side as one
// SVG document (`landmark plot`, docs/results/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lm::train {

// The curves of one run: its training-loss and validation-accuracy records.
struct RunCurves {
    std::string name;
    std::vector<double> loss_steps, loss;          // split "train"
    std::vector<double> accuracy_steps, accuracy;  // split "validation", in [0, 1]
};

// Reads `path`: a run directory (its metrics.jsonl) or a metrics.jsonl file. Throws lm::Error
// naming the file and line of a record that is not JSON, and when the file is missing.
RunCurves read_run_curves(const std::string& path, const std::string& name);
// Loss and validation accuracy (%) against the step, one series per run.
std::string run_curves_svg(const std::vector<RunCurves>& runs, const std::string& title);

}  // namespace lm::train
