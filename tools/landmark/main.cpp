// landmark: train, evaluate and benchmark efficient-attention transformers.
//
// Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error; a training run
// stopped by SIGINT or SIGTERM (after its checkpoint) 130 or 143.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "core/base/error.h"
#include "core/build_info.h"
#include "tools/landmark/commands.h"

int main(int argc, char** argv) {
    CLI::App app{"landmark: efficient-attention transformer training (Nystrom first)"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Print help for every command");
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
