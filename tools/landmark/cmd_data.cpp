// `landmark data stats|show|export|options`: inspect tasks and their splits.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/base/atomic_file.h"
#include "data/error.h"
#include "data/png.h"
#include "data/stats.h"
#include "data/strings.h"
#include "data/task.h"
#include "tools/landmark/commands.h"
#include "tools/landmark/data_args.h"

namespace lm::cli {

namespace {

struct DataArgs {
    std::string task;
    std::vector<std::string> options;
    std::string split = "train";
    int64_t index = 0;
    int64_t count = 1;
    std::string out;
    int scale = 8;
    int64_t max_chars = 2000;
};

void add_task_arguments(CLI::App* command, DataArgs& args) {
    command->add_option("task", args.task, "Task name: " + join(data::task_names(), ", "))
        ->required();
    command
        ->add_option("--opt", args.options,
                     "Task option key=value (repeatable; see "
                     "`landmark data options`)")
        ->allow_extra_args(false);
}

// --split as a data::Split; a bad name is a usage error.
data::Split split_arg(const std::string& name) {
    try {
        return data::parse_split(name);
    } catch (const data::DataError& e) {
        throw UsageError(std::string("--split: ") + e.what());
    }
}

void run_stats(const DataArgs& args) {
    auto task = make_task_from_args(args.task, args.options);
    const auto info = task->info();
    std::array<data::SplitStats, 3> stats;
    for (data::Split split : data::kAllSplits) {
        stats[static_cast<size_t>(split)] =
            data::compute_split_stats(task->examples(split), info.num_classes);
    }
    std::fputs(data::format_task_stats(info, task->tokenizer().type(), stats).c_str(), stdout);
    if (task->skipped_bad_lines() > 0) {
        std::printf("  skipped bad lines: %lld\n",
                    static_cast<long long>(task->skipped_bad_lines()));
    }
}

// A file-name-safe version of a class name ("T-shirt/top" -> "T-shirt_top").
std::string safe_name(std::string name) {
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    }
    return name;
}

// Control bytes other than newline and tab are shown as \xNN.
std::string printable(const std::string& text, int64_t max_chars) {
    std::string out;
    for (size_t i = 0; i < text.size() && static_cast<int64_t>(i) < max_chars; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 && c != '\n' && c != '\t') {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02X", c);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (static_cast<int64_t>(text.size()) > max_chars) out += " [...]";
    return out;
}

void show_image(const data::TaskInfo& info,
                const data::Example& example,
                int64_t index,
                const DataArgs& args) {
    data::GrayImage image{info.image_width, info.image_height, {}};
    for (int32_t id : example.tokens) {
        image.pixels.push_back(static_cast<uint8_t>(id - data::kFirstTokenId));
    }
    const std::string name = safe_name(info.class_names.at(example.label));
    const std::string path = args.out + "/" + info.name + "-" + args.split + "-" +
                             std::to_string(index) + "-" + name + ".png";
    data::write_png(path, image, args.scale);
    std::printf("#%lld label %d (%s): %s\n", static_cast<long long>(index), example.label,
                info.class_names.at(example.label).c_str(), path.c_str());
}

void show_text(const data::Task& task,
               const data::TaskInfo& info,
               const data::Example& example,
               int64_t index,
               const DataArgs& args) {
    std::string header = "#" + std::to_string(index) + " label " + std::to_string(example.label) +
                         " (" + info.class_names.at(example.label) + "), " +
                         std::to_string(example.tokens.size()) + " tokens";
    if (info.paired) header += ", second " + std::to_string(example.tokens2.size()) + " tokens";
    std::printf("%s\n", header.c_str());
    std::printf("%s\n", printable(task.tokenizer().decode(example.tokens), args.max_chars).c_str());
    if (info.paired) {
        std::printf("--- second sequence ---\n%s\n",
                    printable(task.tokenizer().decode(example.tokens2), args.max_chars).c_str());
    }
    std::printf("\n");
}

void run_show(const DataArgs& args) {
    auto task = make_task_from_args(args.task, args.options);
    const auto info = task->info();
    const bool image = info.image_width > 0;
    if (image && args.out.empty()) {
        throw UsageError("data show " + args.task + ": --out DIR is required for image tasks");
    }
    const data::Split split = split_arg(args.split);
    const auto& examples = task->examples(split);
    if (args.index < 0 || args.index >= static_cast<int64_t>(examples.size())) {
        throw UsageError("--index " + std::to_string(args.index) + ": the " + args.split +
                         " split has " + std::to_string(examples.size()) + " examples");
    }
    if (image) std::filesystem::create_directories(args.out);
    const int64_t end = std::min<int64_t>(examples.size(), args.index + args.count);
    for (int64_t i = args.index; i < end; ++i) {
        if (image) {
            show_image(info, examples[i], i, args);
        } else {
            show_text(*task, info, examples[i], i, args);
        }
    }
}

// The split of a text task as JSONL ({"label": name, "text": raw text}), the format `landmark
// eval --data` and `task.name: text` read. Bytes that are not UTF-8 become U+FFFD (JSON strings
// are UTF-8).
void run_export(const DataArgs& args) {
    auto task = make_task_from_args(args.task, args.options);
    const auto info = task->info();
    if (!task->has_text() || info.paired) {
        throw UsageError("data export " + args.task +
                         ": only unpaired text tasks have texts to export");
    }
    const data::Split split = split_arg(args.split);
    const auto& examples = task->examples(split);
    const std::vector<std::string> texts = task->texts(split);
    std::string out;
    for (size_t i = 0; i < examples.size(); ++i) {
        const nlohmann::json record = {{"label", info.class_names.at(examples[i].label)},
                                       {"text", texts.at(i)}};
        out += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    write_text_atomic(args.out, out);
    std::printf("%zu %s examples of %s written to %s\n", examples.size(), args.split.c_str(),
                args.task.c_str(), args.out.c_str());
}

void run_options() {
    for (const auto& option : data::task_option_table()) {
        std::printf("%-20s %s (default '%s')%s\n    %s\n", option.key.c_str(), option.type.c_str(),
                    option.default_value.c_str(),
                    option.tasks.empty() ? "" : ("; tasks: " + join(option.tasks, ", ")).c_str(),
                    option.help.c_str());
    }
}

}  // namespace

void register_data_commands(CLI::App& app) {
    auto* data = app.add_subcommand("data", "Inspect tasks and their splits");
    data->require_subcommand(1);
    auto args = std::make_shared<DataArgs>();

    auto* stats = data->add_subcommand("stats",
                                       "Split sizes, label histograms and length "
                                       "percentiles of a task");
    add_task_arguments(stats, *args);
    stats->callback([args] { run_stats(*args); });

    auto* show = data->add_subcommand("show",
                                      "Write PNGs of image examples or print decoded "
                                      "text examples");
    add_task_arguments(show, *args);
    show->add_option("--split", args->split, "train, validation or test")->capture_default_str();
    show->add_option("--index", args->index, "First example")->capture_default_str();
    show->add_option("--count", args->count, "Number of examples")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    show->add_option("--out", args->out, "Directory for PNG files (image tasks)");
    show->add_option("--scale", args->scale, "PNG enlargement factor")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    show->add_option("--max-chars", args->max_chars, "Characters of text to print per example")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    show->callback([args] { run_show(*args); });

    auto* exp = data->add_subcommand(
        "export", "Write a split of a text task as JSONL ({\"label\", \"text\"} per line)");
    add_task_arguments(exp, *args);
    exp->add_option("--split", args->split, "train, validation or test")->capture_default_str();
    exp->add_option("--out", args->out, "JSONL file to write")->required();
    exp->callback([args] { run_export(*args); });

    auto* options = data->add_subcommand("options", "List every task option with its default");
    options->callback([] { run_options(); });
}

}  // namespace lm::cli
