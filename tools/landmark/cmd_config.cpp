// landmark config: check a config and print it resolved, or describe every key.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "tools/landmark/commands.h"
#include "train/config.h"

namespace lm::cli {

void register_config_command(CLI::App& app) {
    struct Args {
        std::string file;
        std::vector<std::string> sets;
        bool describe = false;
    };
    auto a = std::make_shared<Args>();
    auto* c =
        app.add_subcommand("config", "Check a config and print it resolved, or list every key");
    c->add_option("config", a->file, "YAML config file");
    c->add_option("--set", a->sets, "Override a key: --set train.steps=100");
    c->add_flag("--describe", a->describe, "Print the reference of every key as Markdown");
    c->callback([a] {
        if (a->describe) {
            std::printf("%s", train::describe_config().c_str());
            return;
        }
        if (a->file.empty()) throw UsageError("config: give a config file or --describe");
        std::printf("%s", train::dump_config(train::load_config_file(a->file, a->sets)).c_str());
    });
}

}  // namespace lm::cli
