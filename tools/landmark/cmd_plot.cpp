// landmark plot RUN...: training loss and validation accuracy of one or several runs as SVG.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "tools/landmark/commands.h"
#include "train/report/run_curves.h"

namespace lm::cli {

namespace {

struct PlotArgs {
    std::vector<std::string> runs;
    std::vector<std::string> names;
    std::string out, title;
};

// A run's label: its directory name (the parent's for a metrics.jsonl path).
std::string default_name(const std::string& path) {
    std::filesystem::path p(path);
    if (p.filename() == "metrics.jsonl") p = p.parent_path();
    if (p.filename().empty()) p = p.parent_path();  // trailing slash
    return p.filename().string();
}

void run_plot(const PlotArgs& a) {
    if (!a.names.empty() && a.names.size() != a.runs.size()) {
        throw UsageError("plot: --name must be given once per run (" +
                         std::to_string(a.runs.size()) + " runs, " +
                         std::to_string(a.names.size()) + " names)");
    }
    std::vector<train::RunCurves> curves;
    for (size_t i = 0; i < a.runs.size(); ++i) {
        curves.push_back(train::read_run_curves(
            a.runs[i], a.names.empty() ? default_name(a.runs[i]) : a.names[i]));
    }
    write_text_atomic(a.out, train::run_curves_svg(curves, a.title));
    std::printf("wrote %s\n", a.out.c_str());
}

}  // namespace

void register_plot_command(CLI::App& app) {
    auto a = std::make_shared<PlotArgs>();
    auto* c = app.add_subcommand(
        "plot", "Draw training loss and validation accuracy of runs against the step (SVG)");
    c->add_option("runs", a->runs, "Run directories or metrics.jsonl files")->required();
    c->add_option("--out", a->out, "SVG file to write")->required();
    c->add_option("--name", a->names, "Legend name of each run (default: its directory name)");
    c->add_option("--title", a->title, "Title prefix of both charts");
    c->callback([a] { run_plot(*a); });
}

}  // namespace lm::cli
