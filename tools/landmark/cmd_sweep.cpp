// landmark sweep: train one config with every attention type (and several seeds), each run in
// its own process, then write results.md and validation_curves.svg. A killed sweep continues:
// finished runs are kept, interrupted ones resume from their checkpoints.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/strings.h"
#include "layers/attention/registry.h"
#include "tools/landmark/commands.h"
#include "train/config.h"
#include "train/report/summary.h"
#include "train/report/sweep_report.h"

extern char** environ;

namespace lm::cli {

namespace fs = std::filesystem;

namespace {

struct SweepArgs {
    std::string config, out, attention;
    std::vector<std::string> sets;
    int seeds = 1;
};

// Runs `landmark args...` (this executable) with output to `log`; returns its exit code.
int run_child(const std::vector<std::string>& args, const std::string& log) {
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    std::vector<char*> argv;
    std::vector<std::string> storage = {self};
    storage.insert(storage.end(), args.begin(), args.end());
    for (auto& s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("sweep: cannot start " + self);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> attention_list(const std::string& spec) {
    if (spec.empty() || spec == "all") return nn::attention_kernel_names();
    std::vector<std::string> out;
    std::stringstream ss(spec);
    const auto known = nn::attention_kernel_names();
    for (std::string a; std::getline(ss, a, ',');) {
        if (a.empty()) continue;
        if (std::find(known.begin(), known.end(), a) == known.end()) {
            throw UsageError("sweep: unknown attention type '" + a + "'" + suggestion(a, known) +
                             "; expected one of " + join(known));
        }
        out.push_back(a);
    }
    return out;
}

// Trains one variant unless it already finished; returns false when it failed.
bool run_variant(const SweepArgs& a, const train::SweepRun& r) {
    const nlohmann::json done = train::read_summary(r.run_dir);
    if (!done.empty() && !done.is_discarded() && !done.value("interrupted", true)) {
        std::printf("%-20s seed %llu: done earlier\n", r.attention.c_str(),
                    static_cast<unsigned long long>(r.seed));
        return true;
    }
    std::vector<std::string> args = {"train",     a.config,
                                     "--run-dir", r.run_dir,
                                     "--set",     "model.attention.type=" + r.attention,
                                     "--set",     "run.seed=" + std::to_string(r.seed),
                                     "--set",     "run.progress=log"};
    for (const auto& s : a.sets)
        args.insert(args.end(), {"--set", s});
    if (fs::exists(fs::path(r.run_dir) / "checkpoints")) args.push_back("--resume");
    std::printf("%-20s seed %llu: training into %s\n", r.attention.c_str(),
                static_cast<unsigned long long>(r.seed), r.run_dir.c_str());
    std::fflush(stdout);
    const int rc = run_child(args, r.run_dir + ".log");
    if (rc != 0) std::printf("  failed with exit code %d; see %s.log\n", rc, r.run_dir.c_str());
    return rc == 0;
}

void run_sweep(const SweepArgs& a) {
    const train::Config cfg = train::load_config_file(a.config, a.sets);  // fail fast (exit 2)
    if (a.seeds < 1) throw UsageError("sweep: --seeds must be at least 1");
    const std::string out =
        a.out.empty() ? "runs/sweep-" + fs::path(a.config).stem().string() : a.out;
    fs::create_directories(out);
    std::vector<train::SweepRun> runs;
    for (const auto& att : attention_list(a.attention)) {
        for (int s = 0; s < a.seeds; ++s) {
            const uint64_t seed = cfg.run.seed + static_cast<uint64_t>(s);
            runs.push_back(
                {att, seed, (fs::path(out) / (att + "-seed" + std::to_string(seed))).string()});
        }
    }
    int failed = 0;
    for (const auto& r : runs)
        failed += run_variant(a, r) ? 0 : 1;
    const std::string title = "Attention sweep: " + a.config + " (" + cfg.task.name + ")";
    const std::string md = train::sweep_results_markdown(runs, title);
    std::ofstream(fs::path(out) / "results.md")
        << md << "\n![validation curves](validation_curves.svg)\n";
    std::ofstream(fs::path(out) / "validation_curves.svg") << train::sweep_curves_svg(runs, title);
    std::printf("\n%s\nwrote %s/results.md and %s/validation_curves.svg\n", md.c_str(), out.c_str(),
                out.c_str());
    if (failed > 0)
        throw std::runtime_error(std::to_string(failed) + " run(s) of the sweep failed");
}

}  // namespace

void register_sweep_command(CLI::App& app) {
    auto a = std::make_shared<SweepArgs>();
    auto* c = app.add_subcommand("sweep", "Train a config with each attention type and compare");
    c->add_option("config", a->config, "YAML config file")->required()->check(CLI::ExistingFile);
    c->add_option("--attention", a->attention, "Comma-separated attention types (default: all)");
    c->add_option("--seeds", a->seeds, "Seeds per attention type (run.seed, run.seed+1, ...)");
    c->add_option("--set", a->sets, "Config override applied to every run");
    c->add_option("--out", a->out, "Sweep directory (default: runs/sweep-<config name>)");
    c->callback([a] { run_sweep(*a); });
}

}  // namespace lm::cli
