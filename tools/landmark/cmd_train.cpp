// landmark train / eval / predict / info
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/base/atomic_file.h"
#include "core/base/strings.h"
#include "data/error.h"
#include "data/text_file.h"
#include "tools/landmark/commands.h"
#include "train/dist/communicator.h"
#include "train/evaluate.h"
#include "train/experiment.h"
#include "train/inference.h"
#include "train/trainer.h"

namespace lm::cli {

namespace {

struct TrainArgs {
    std::string config, run_dir;
    std::vector<std::string> sets;
    bool resume = false;
};

void print_summary(const train::TrainSummary& s) {
    std::printf("\nrun %s: %lld steps%s\n", s.run_dir.c_str(), static_cast<long long>(s.steps),
                s.interrupted ? " (interrupted; continue with --resume)" : "");
    if (s.best_step >= 0) {
        std::printf("best validation accuracy %.4f at step %lld\n", s.best_val_accuracy,
                    static_cast<long long>(s.best_step));
    }
    if (s.test_accuracy >= 0)
        std::printf("test accuracy %.4f (loss %.4f)\n", s.test_accuracy, s.test_loss);
    std::printf("training %.1f s, %.0f tokens/s, peak tensor memory %.1f MiB, peak RSS %.1f MiB\n",
                s.train_seconds, s.tokens_per_s, s.peak_tensor_bytes / 1048576.0,
                s.peak_rss_bytes / 1048576.0);
}

void run_train(const TrainArgs& a) {
    train::Config cfg = train::load_config_file(a.config, a.sets);
    // Under mpirun only rank 0 prints; a rank that fails ends them all (no rank may wait forever
    // in a collective for one that is gone).
    const bool lead = train::dist::world(cfg.run.distributed).rank() == 0;
    try {
        if (lead) std::printf("%s", train::dump_config(cfg).c_str());
        std::fflush(stdout);
        const train::TrainSummary s = train::run_training(cfg, {a.run_dir, a.resume});
        if (lead) print_summary(s);
        // a checkpointed stop on SIGINT/SIGTERM still ends as a signalled job does (130, 143),
        // so `&&` chains and schedulers see the interruption
        if (s.signal != 0) throw ExitRequest{128 + s.signal};
    } catch (const std::exception& e) {
        if (!train::dist::multi_process()) throw;
        const auto* error = dynamic_cast<const Error*>(&e);
        const bool config = error && error->kind() == ErrorKind::Config;
        std::fprintf(stderr, "landmark: rank %d: %s%s\n", train::dist::world("mpi").rank(),
                     config ? "config error: " : "error: ", e.what());
        std::fflush(stderr);
        train::dist::abort_all(error ? error->exit_code() : 1);
        throw;
    }
}

struct EvalArgs {
    std::string run, data, split, predictions, json, device = "auto";
    int64_t batch_size = 0;  // 0: the run's eval batch size
    bool latest = false;
};

struct PredictArgs {
    std::string run, input, device = "auto";
    int64_t batch_size = 0;
    bool scores = false;
};

// The run's evaluation batches, with --batch-size when given (it changes only the speed of a
// batch-independent model; others get a warning, see train::batch_coupling_warning).
data::BatchOptions inference_batches(const train::LoadedRun& run, int64_t batch_size) {
    data::BatchOptions o = train::eval_batch_options(run.cfg, run.info);
    if (batch_size > 0) o.batch_size = batch_size;
    const std::string warning = train::batch_coupling_warning(*run.model, o);
    if (!warning.empty()) spdlog::warn("{}", warning);
    return o;
}

// Examples of a user file, encoded with the run's tokenizer and label map.
std::vector<data::Example> examples_from_file(const train::LoadedRun& run,
                                              const std::string& path) {
    data::TextFileOptions o;
    o.format = data::resolve_text_format(run.cfg.task.format, path);
    o.skip_bad_lines = run.cfg.task.skip_bad_lines;
    const data::TextFile file = data::read_text_file(path, o);
    std::vector<data::Example> out;
    for (const auto& rec : file.records) {
        const auto id = run.labels.find(rec.label);
        if (!id) {
            throw data::DataError(
                path + ":" + std::to_string(rec.line) + ": label '" + rec.label +
                "' was not seen in training; known labels: " + join(run.labels.labels()));
        }
        data::Example ex;
        ex.tokens = train::encode_input(run, rec.text);  // truncated as in training
        ex.label = *id;
        out.push_back(std::move(ex));
    }
    return out;
}

void run_eval(const EvalArgs& a) {
    if (!a.data.empty() && !a.split.empty())
        throw UsageError("eval: give --data or --split, not both");
    train::LoadedRun run = train::load_run(a.run, a.device, !a.latest);
    std::vector<data::Example> examples;
    std::unique_ptr<data::Task> task;
    if (!a.data.empty()) {
        if (run.info.paired) throw UsageError("eval --data: paired tasks need --split");
        if (run.cfg.model.type == "masked_lm")
            throw UsageError("eval --data: a masked-LM run has no labels to check; use --split");
        examples = examples_from_file(run, a.data);
    } else {
        task = data::make_task(run.cfg.task);
        examples = task->examples(data::parse_split(a.split.empty() ? "test" : a.split));
    }
    const train::EvalResult r =
        train::evaluate(*run.model, examples, inference_batches(run, a.batch_size), run.device,
                        run.info.num_classes, 0, train::batch_masking(run.cfg, run.info));
    std::printf("checkpoint %s (step %lld)\n%s", run.checkpoint_dir.c_str(),
                static_cast<long long>(run.trainer.value("step", int64_t{0})),
                train::format_report(r, run.labels.labels()).c_str());
    if (!a.json.empty()) {
        nlohmann::json j = train::eval_json(r, run.labels.labels());
        j["checkpoint"] = run.checkpoint_dir;
        j["step"] = run.trainer.value("step", int64_t{0});
        j["split"] = a.data.empty() ? (a.split.empty() ? "test" : a.split) : "";
        if (!a.data.empty()) j["data"] = a.data;
        write_text_atomic(a.json, j.dump(2) + "\n");
    }
    if (!a.predictions.empty()) {
        std::ofstream out(a.predictions);
        if (!out) throw std::runtime_error(a.predictions + ": cannot open for writing");
        out << "index\tlabel\tpredicted\n";
        const auto& names = run.labels.labels();
        for (size_t i = 0; i < r.predictions.size(); ++i) {
            out << r.indices[i] << "\t" << names.at(r.labels[i]) << "\t"
                << names.at(r.predictions[i]) << "\n";
        }
    }
}

// One example per line of `in`, encoded (and truncated) as in training.
std::vector<data::Example> examples_from_lines(const train::LoadedRun& run, std::istream& in) {
    std::vector<data::Example> examples;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        data::Example ex;
        ex.tokens = train::encode_input(run, line);
        examples.push_back(std::move(ex));
    }
    return examples;
}

// label, or with scores: label, its probability and every class probability (TSV, header first).
void print_predictions(const train::LoadedRun& run,
                       const std::vector<std::vector<double>>& probs,
                       bool scores) {
    const auto& names = run.labels.labels();
    if (scores) {
        std::printf("label\tprobability");
        for (const auto& n : names)
            std::printf("\tp(%s)", n.c_str());
        std::printf("\n");
    }
    for (const auto& p : probs) {
        const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
        std::printf("%s", names.at(best).c_str());
        if (scores) {
            std::printf("\t%.6f", p[best]);
            for (double x : p)
                std::printf("\t%.6f", x);
        }
        std::printf("\n");
    }
}

void run_predict(const PredictArgs& a) {
    train::LoadedRun run = train::load_run(a.run, a.device);
    if (run.info.paired)
        throw UsageError("predict: paired tasks are not supported (use eval --split)");
    if (run.cfg.model.type == "masked_lm")
        throw UsageError("predict: " + a.run +
                         " is a masked-LM pre-training run, which predicts "
                         "tokens, not labels; fine-tune a classifier from it, or use eval --split");
    std::vector<data::Example> examples;
    if (a.input.empty() || a.input == "-") {
        examples = examples_from_lines(run, std::cin);
    } else {
        std::ifstream in(a.input);
        if (!in) throw data::DataError(a.input + ": cannot open for reading");
        examples = examples_from_lines(run, in);
    }
    const auto probs = train::predict_probabilities(
        *run.model, examples, inference_batches(run, a.batch_size), run.device);
    print_predictions(run, probs, a.scores);
}

void run_info(const std::string& path) {
    train::LoadedRun run = train::load_run(path, "cpu", false);
    std::printf(
        "checkpoint  %s\nstep        %lld\nparameters  %lld\ntask        %s (%s, "
        "vocab %lld, max length %lld)\nbest        validation accuracy %.4f at step %lld\n\n"
        "config:\n%s",
        run.checkpoint_dir.c_str(), static_cast<long long>(run.trainer.value("step", int64_t{0})),
        static_cast<long long>(run.model->num_parameters()), run.info.name.c_str(),
        run.info.num_classes > 0 ? (std::to_string(run.info.num_classes) + " classes").c_str()
                                 : "unlabeled, masked-LM pre-training",
        static_cast<long long>(run.info.vocab_size), static_cast<long long>(run.info.max_length),
        run.trainer.at("best").value("accuracy", -1.0),
        static_cast<long long>(run.trainer.at("best").value("step", int64_t{-1})),
        train::dump_config(run.cfg).c_str());
}

}  // namespace

void register_train_commands(CLI::App& app) {
    auto a = std::make_shared<TrainArgs>();
    auto* t = app.add_subcommand("train", "Train a model from a YAML config");
    t->add_option("config", a->config, "YAML config file")->required()->check(CLI::ExistingFile);
    t->add_option("--set", a->sets, "Override a config key: --set model.attention.type=softmax");
    t->add_option("--run-dir", a->run_dir,
                  "Run directory (default: run.dir or runs/<config name>)");
    t->add_flag("--resume", a->resume, "Continue the run from its latest checkpoint");
    t->callback([a] { run_train(*a); });

    auto e = std::make_shared<EvalArgs>();
    auto* ev = app.add_subcommand("eval", "Evaluate a run or checkpoint on a split or a data file");
    ev->add_option("run", e->run, "Run directory or checkpoint directory")->required();
    ev->add_option("--data", e->data, "TSV (label<TAB>text) or JSONL ({\"label\", \"text\"}) file");
    ev->add_option("--split", e->split, "train, validation or test (default: test)");
    ev->add_option("--predictions", e->predictions, "Write index, label, predicted as TSV");
    ev->add_option("--json", e->json,
                   "Write every metric as JSON (accuracy, loss, per-class precision/recall/f1, "
                   "macro-F1, confusion; masked-token metrics for a masked LM)");
    ev->add_option("--device", e->device, "auto, cpu or cuda");
    ev->add_option("--batch-size", e->batch_size,
                   "Examples per batch (default: the run's eval.batch_size); changes only speed")
        ->check(CLI::PositiveNumber);
    ev->add_flag("--latest", e->latest, "Use the latest checkpoint instead of the best");
    ev->callback([e] { run_eval(*e); });

    auto p = std::make_shared<PredictArgs>();
    auto* pr = app.add_subcommand(
        "predict", "Print the predicted label of every line of a text file (or of stdin)");
    pr->add_option("checkpoint", p->run, "Run directory or checkpoint directory")->required();
    pr->add_option("input", p->input, "Text file, one input per line (default or -: stdin)");
    pr->add_option("--device", p->device, "auto, cpu or cuda")->capture_default_str();
    pr->add_option("--batch-size", p->batch_size,
                   "Inputs per batch (default: the run's eval.batch_size); changes only speed")
        ->check(CLI::PositiveNumber);
    pr->add_flag("--scores", p->scores,
                 "Print TSV: label, its probability and every class probability (header first)");
    pr->callback([p] { run_predict(*p); });

    auto i = std::make_shared<std::string>();
    auto* in =
        app.add_subcommand("info", "Show a checkpoint's config, parameter count, step, metrics");
    in->add_option("checkpoint", *i, "Run directory or checkpoint directory")->required();
    in->callback([i] { run_info(*i); });
}

}  // namespace lm::cli
