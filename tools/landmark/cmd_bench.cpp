// landmark bench train / bench attention
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/base/parallel.h"
#include "tools/landmark/commands.h"
#include "train/report/bench.h"

namespace lm::cli {

namespace {

template <class T>
std::vector<T> parse_list(const std::string& text, const char* what) {
    std::vector<T> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
        if (item.empty()) continue;
        if constexpr (std::is_same_v<T, std::string>) {
            out.push_back(item);
        } else {
            try {
                out.push_back(std::stoll(item));
            } catch (const std::exception&) {
                throw UsageError(std::string("bench: ") + what + ": expected integers, got '" +
                                 item + "'");
            }
        }
    }
    if (out.empty()) throw UsageError(std::string("bench: ") + what + " is empty");
    return out;
}

void register_bench_train(CLI::App& bench) {
    struct Args {
        std::string config, json;
        std::vector<std::string> sets;
        int64_t steps = 10, warmup = 2;
        int threads = 0;
    };
    auto a = std::make_shared<Args>();
    auto* c =
        bench.add_subcommand("train", "Median step time, tokens/s, memory and GFLOP/s of a config");
    c->add_option("--config", a->config, "YAML config file")->required()->check(CLI::ExistingFile);
    c->add_option("--set", a->sets, "Config override");
    c->add_option("--steps", a->steps, "Timed steps (after --warmup)");
    c->add_option("--warmup", a->warmup, "Untimed steps first");
    c->add_option("--threads", a->threads, "CPU threads (default: run.threads, else all cores)");
    c->add_option("--json", a->json, "Also write the figures as one JSON line");
    c->callback([a] {
        train::Config cfg = train::load_config_file(a->config, a->sets);
        if (a->threads > 0) cfg.run.threads = a->threads;
        if (a->steps < 1 || a->warmup < 0)
            throw UsageError("bench train: --steps >= 1, --warmup >= 0");
        const train::TrainBenchResult r = train::bench_train(cfg, a->steps, a->warmup);
        std::printf("%s", train::format_train_bench(r).c_str());
        if (!a->json.empty()) std::ofstream(a->json) << train::train_bench_json(r) << "\n";
    });
}

void register_bench_attention(CLI::App& bench) {
    struct Args {
        std::string types = "nystrom,softmax", seq = "1024,4096,16384,65536", csv, svg;
        std::string device = "cpu";
        std::vector<std::string> sets;
        int64_t batch = 1, heads = 2, head_dim = 32, reps = 3;
        int threads = 0;
    };
    auto a = std::make_shared<Args>();
    auto* c = bench.add_subcommand("attention",
                                   "Forward+backward time and peak memory of one attention "
                                   "layer against sequence length");
    c->add_option("--type", a->types, "Comma-separated attention types");
    c->add_option("--seq", a->seq, "Comma-separated sequence lengths");
    c->add_option("--batch", a->batch, "Batch size");
    c->add_option("--heads", a->heads, "Heads");
    c->add_option("--head-dim", a->head_dim, "Head size");
    c->add_option("--reps", a->reps, "Repetitions per point (median)");
    c->add_option("--set", a->sets, "Kernel options, e.g. --set landmarks=64");
    c->add_option("--threads", a->threads, "CPU threads (default: all cores)");
    c->add_option("--device", a->device, "cpu, cuda or cuda:N")->capture_default_str();
    c->add_option("--csv", a->csv, "Write the table as CSV");
    c->add_option("--svg", a->svg, "Write time and memory against n as SVG");
    c->callback([a] {
        if (a->threads > 0) set_num_threads(a->threads);
        train::AttentionBenchOptions o;
        o.types = parse_list<std::string>(a->types, "--type");
        o.seq = parse_list<int64_t>(a->seq, "--seq");
        o.batch = a->batch, o.heads = a->heads, o.head_dim = a->head_dim, o.reps = a->reps;
        o.sets = a->sets;
        o.device = Device::parse(a->device);
        LM_CHECK(!o.device.is_cuda() || cuda_device_count() > 0,
                 "no CUDA device: bench attention --device ", a->device, " needs a GPU");
        const auto rows = train::bench_attention(o);
        std::printf("%s", train::format_attention_bench(rows).c_str());
        if (!a->csv.empty()) std::ofstream(a->csv) << train::attention_bench_csv(rows);
        if (!a->svg.empty()) std::ofstream(a->svg) << train::attention_bench_svg(rows);
    });
}

}  // namespace

void register_bench_commands(CLI::App& app) {
    auto* bench = app.add_subcommand("bench", "Benchmarks: training step, attention scaling");
    bench->require_subcommand(1);
    register_bench_train(*bench);
    register_bench_attention(*bench);
}

}  // namespace lm::cli
