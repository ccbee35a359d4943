#include "train/report/run_curves.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/base/check.h"
#include "train/report/svg_plot.h"

namespace lm::train {

RunCurves read_run_curves(const std::string& path, const std::string& name) {
    namespace fs = std::filesystem;
    const std::string file =
        fs::is_directory(path) ? (fs::path(path) / "metrics.jsonl").string() : path;
    std::ifstream in(file);
    LM_CHECK(in.good(), file, ": cannot open (expected a run directory or a metrics.jsonl file)");
    RunCurves c;
    c.name = name;
    int64_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        LM_CHECK(!j.is_discarded() && j.is_object(), file, ":", line_no,
                 ": not a JSON object (metrics.jsonl holds one record per line)");
        // a number or nothing (a non-finite value is written as null): points without one are
        // left out
        auto number = [&](const char* key) {
            const auto it = j.find(key);
            if (it == j.end() || it->is_null()) return std::numeric_limits<double>::quiet_NaN();
            LM_CHECK(it->is_number(), file, ":", line_no, ": '", key, "' must be a number");
            return it->get<double>();
        };
        const auto split = j.find("split");
        LM_CHECK(split == j.end() || split->is_string(), file, ":", line_no,
                 ": 'split' must be a string");
        const std::string name = split == j.end() ? "" : split->get<std::string>();
        const double step = number("step");
        if (name == "train" && std::isfinite(step) && std::isfinite(number("loss"))) {
            c.loss_steps.push_back(step);
            c.loss.push_back(number("loss"));
        } else if (name == "validation" && std::isfinite(step) &&
                   std::isfinite(number("accuracy"))) {
            c.accuracy_steps.push_back(step);
            c.accuracy.push_back(number("accuracy"));
        }
    }
    return c;
}

std::string run_curves_svg(const std::vector<RunCurves>& runs, const std::string& title) {
    std::vector<Series> loss, accuracy;
    for (const auto& r : runs) {
        loss.push_back({r.name, r.loss_steps, r.loss});
        std::vector<double> percent;
        for (double a : r.accuracy)
            percent.push_back(100 * a);
        accuracy.push_back({r.name, r.accuracy_steps, percent});
    }
    const int w = 620, h = 400;
    PlotOptions lo{title.empty() ? "training loss" : title + ": training loss", "step", "loss"};
    PlotOptions ao{title.empty() ? "validation accuracy" : title + ": validation accuracy", "step",
                   "accuracy (%)"};
    lo.width = ao.width = w;
    lo.height = ao.height = h;
    return side_by_side_svg({line_plot_svg(loss, lo), line_plot_svg(accuracy, ao)}, w, h);
}

}  // namespace lm::train
