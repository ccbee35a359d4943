// landmark: train, evaluate and benchmark efficient-attention transformers.
//
// Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error; a training run
// stopped by SIGINT or SIGTERM (after its checkpoint) 130 or 143.
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>

#include "core/base/error.h"
#include "core/build_info.h"
#include "tools/landmark/commands.h"

int main(int argc, char** argv) {
    CLI::App app{"landmark: efficient-attention transformer training (Nystrom first)"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Print help for every command");
    // Console log level: SPDLOG_LEVEL (spdlog's syntax, e.g. debug or warn), or a flag. A run's
    // train.log keeps every info line whatever the console shows.
    bool quiet = false, verbose = false;
    app.add_flag("-q,--quiet", quiet, "Log warnings and errors only (train.log keeps everything)");
    app.add_flag("-v,--verbose", verbose, "Log debug messages too");
    app.parse_complete_callback([&] {
        spdlog::cfg::load_env_levels();
        auto level = spdlog::get_level();
        if (quiet) level = spdlog::level::warn;
        if (verbose) level = spdlog::level::debug;
        spdlog::default_logger()->sinks().front()->set_level(level);
        spdlog::set_level(std::min(level, spdlog::level::info));
    });
    app.set_version_flag(
        "--version", [] { return lm::version_report(); },
        "Print the version, commit, build type, BLAS, CUDA and CPU code path");
    lm::cli::register_train_commands(app);
    lm::cli::register_attn_command(app);
    lm::cli::register_approx_command(app);
    lm::cli::register_config_command(app);
    lm::cli::register_sweep_command(app);
    lm::cli::register_plot_command(app);
    lm::cli::register_compare_devices_command(app);
    lm::cli::register_bench_commands(app);
    lm::cli::register_data_commands(app);
    lm::cli::register_tokenizer_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    } catch (const lm::cli::ExitRequest& r) {
        std::fflush(stdout);
        return r.code;
    } catch (const lm::Error& e) {
        const char* prefix = e.kind() == lm::ErrorKind::Config  ? "config error: "
                             : e.kind() == lm::ErrorKind::Usage ? ""
                                                                : "error: ";
        std::fprintf(stderr, "landmark: %s%s\n", prefix, e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "landmark: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
