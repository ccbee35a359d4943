// The `landmark` subcommands. Each family registers itself on the app in its own file; a
// command's callback does the work and throws on failure (see main.cpp for exit codes).
#pragma once

#include <string>

#include "core/base/error.h"

namespace CLI {
class App;
}

namespace lm::cli {

// Thrown by a command that has finished but must end the process with this exit code.
struct ExitRequest {
    int code;
};

// A usage error found after parsing (conflicting flags, a missing file argument): exit code 2.
class UsageError : public Error {
  public:
    explicit UsageError(const std::string& message) : Error(message, ErrorKind::Usage) {}
};

void register_train_commands(CLI::App& app);           // train, eval, predict, info
void register_attn_command(CLI::App& app);             // attn
void register_approx_command(CLI::App& app);           // approx
void register_config_command(CLI::App& app);           // config
void register_sweep_command(CLI::App& app);            // sweep
void register_plot_command(CLI::App& app);             // plot
void register_compare_devices_command(CLI::App& app);  // compare-devices
void register_bench_commands(CLI::App& app);           // bench train, bench attention
void register_data_commands(CLI::App& app);            // data stats, data show
void register_tokenizer_commands(CLI::App& app);       // tokenizer train

}  // namespace lm::cli
