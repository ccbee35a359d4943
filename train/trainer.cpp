#include "train/trainer.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "core/autograd/functional.h"
#include "core/tensor/allocator.h"
#include "data/batch_stream.h"
#include "train/batch_tensors.h"
#include "train/evaluate.h"
#include "train/metrics.h"
#include "train/progress.h"
#include "train/schedule.h"
#include "train/summary.h"
#include "train/train_state.h"

namespace lm::train {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted = true; }

// SIGINT/SIGTERM ask the loop to checkpoint and stop; a second signal kills as usual.
class InterruptScope {
public:
    InterruptScope() {
        g_interrupted = false;
        prev_int_ = std::signal(SIGINT, [](int s) { on_interrupt(s); std::signal(SIGINT, SIG_DFL); });
        prev_term_ = std::signal(SIGTERM, [](int s) { on_interrupt(s); std::signal(SIGTERM, SIG_DFL); });
    }
    ~InterruptScope() {
        std::signal(SIGINT, prev_int_);
        std::signal(SIGTERM, prev_term_);
    }

private:
    void (*prev_int_)(int);
    void (*prev_term_)(int);
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Running means of the train loss and accuracy between log lines.
struct Window {
    double loss = 0, correct = 0, count = 0, tokens = 0, seconds = 0;
    void reset() { *this = Window{}; }
};

}  // namespace

std::string default_run_dir(const Config& cfg) {
    if (!cfg.run.dir.empty()) return cfg.run.dir;
    const std::string stem = cfg.source.empty() ? "run" : fs::path(cfg.source).stem().string();
    const std::string parent =
        cfg.source.empty() ? "" : fs::path(cfg.source).parent_path().filename().string();
    return (fs::path("runs") / (parent.empty() || parent == "configs" ? stem : parent + "-" + stem))
        .string();
}

namespace {

class Trainer {
public:
    Trainer(Config cfg, const TrainOptions& opts);
    TrainSummary run();

private:
    void setup_logging();
    void start_or_resume();
    bool train_step(Window& w);  // false when the batch was skipped
    void maybe_log(Window& w);
    void validate(bool final);
    void save(bool final);
    void final_test();
    CheckpointData checkpoint() const { return make_checkpoint(ex_, *opt_, stream_->state(), prog_); }

    TrainOptions opts_;
    std::string run_dir_;
    Experiment ex_;
    std::unique_ptr<Optimizer> opt_;
    std::unique_ptr<Schedule> schedule_;
    std::unique_ptr<data::BatchStream> stream_;
    std::unique_ptr<CheckpointStore> store_;
    std::unique_ptr<MetricsLog> metrics_;
    std::unique_ptr<Progress> progress_;
    Progression prog_;
    TrainSummary summary_;
    int64_t last_saved_ = -1;
    double train_seconds_ = 0;
    int64_t train_tokens_ = 0;
};

Trainer::Trainer(Config cfg, const TrainOptions& opts) : opts_(opts) {
    if (!opts.run_dir.empty()) cfg.run.dir = opts.run_dir;
    run_dir_ = default_run_dir(cfg);
    cfg.run.dir = run_dir_;
    ex_ = build_experiment(std::move(cfg));
}

void Trainer::setup_logging() {
    fs::create_directories(run_dir_);
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>((fs::path(run_dir_) / "train.log").string());
    spdlog::default_logger()->sinks().push_back(file);
}

void Trainer::start_or_resume() {
    const Config& cfg = ex_.cfg;
    store_ = std::make_unique<CheckpointStore>(run_dir_, static_cast<int>(cfg.train.keep_checkpoints));
    opt_ = make_optimizer(cfg.optimizer, ex_.model->named_parameters());
    ScheduleConfig sc = cfg.schedule;
    if (sc.total_steps == 0) sc.total_steps = cfg.train.steps;
    schedule_ = std::make_unique<Schedule>(sc, cfg.optimizer.lr);
    stream_ = std::make_unique<data::BatchStream>(ex_.task->examples(data::Split::Train),
                                                  train_batch_options(cfg, ex_.info), true);
    metrics_ = std::make_unique<MetricsLog>((fs::path(run_dir_) / "metrics.jsonl").string());
    const auto latest = store_->latest();
    if (opts_.resume) {
        if (!latest) throw TrainingError("--resume: no checkpoint in " + run_dir_);
        const CheckpointData ck = CheckpointStore::load(*latest);
        const std::string saved = ck.trainer.at("config").get<std::string>();
        if (saved != dump_config(ex_.cfg)) {
            throw ConfigError("--resume: the config differs from the one " + run_dir_ +
                              " was trained with (see " + run_dir_ + "/config.yaml)");
        }
        data::StreamState st;
        restore_checkpoint(ck, ex_, *opt_, &st, &prog_);
        stream_->restore(st);
        metrics_->truncate_after(prog_.step);
        last_saved_ = prog_.step;
        spdlog::info("resumed {} at step {}", run_dir_, prog_.step);
    } else if (latest) {
        throw TrainingError("run directory " + run_dir_ + " already holds checkpoints; pass "
                            "--resume to continue it or --run-dir to start elsewhere");
    } else {
        std::ofstream(fs::path(run_dir_) / "config.yaml") << dump_config(ex_.cfg);
        std::ofstream(fs::path(run_dir_) / "metrics.jsonl", std::ios::trunc);
    }
}

bool Trainer::train_step(Window& w) {
    const Config& cfg = ex_.cfg;
    const int64_t step = prog_.step + 1;
    opt_->set_lr(schedule_->lr(step - 1));
    if (auto b1 = schedule_->beta1(step - 1)) opt_->set_beta1(*b1);
    const auto t0 = Clock::now();
    const int64_t accum = cfg.train.grad_accum;
    double loss_sum = 0, correct = 0, count = 0, tokens = 0;
    for (int64_t a = 0; a < accum; ++a) {
        const data::HostBatch hb = stream_->next();
        const DeviceBatch db = to_device(hb, ex_.device);
        const Tensor logits = ex_.model->forward(db.inputs);
        const Tensor loss = cross_entropy(logits, db.labels);
        const double lv = loss.item();
        if (!std::isfinite(lv)) {
            opt_->zero_grad();
            if (cfg.train.nonfinite == "skip") {
                progress_->message("skipping step " + std::to_string(step) + ": loss is " +
                                   std::to_string(lv));
                ++prog_.skipped_batches;
                return false;
            }
            throw TrainingError("non-finite loss (" + std::to_string(lv) + ") at step " +
                                std::to_string(step) + "; lower optimizer.lr, set train.clip_norm, "
                                "or set train.nonfinite=skip to skip such batches");
        }
        (loss * (1.0 / static_cast<double>(accum))).backward();
        loss_sum += lv * hb.batch;
        correct += sum(eq(argmax(logits.detach(), 1), db.labels).to(DType::Float32)).item();
        count += hb.batch;
        tokens += hb.real_tokens;
    }
    const std::vector<Tensor> params = ex_.model->parameters();
    if (cfg.train.clip_value > 0) clip_grad_value(params, cfg.train.clip_value);
    const double norm = clip_grad_norm(params, cfg.train.clip_norm > 0 ? cfg.train.clip_norm : 1e300);
    if (!std::isfinite(norm)) {
        opt_->zero_grad();
        if (cfg.train.nonfinite == "skip") {
            progress_->message("skipping step " + std::to_string(step) + ": gradient norm is " +
                               std::to_string(norm));
            ++prog_.skipped_batches;
            return false;
        }
        throw TrainingError("non-finite gradient norm at step " + std::to_string(step) +
                            "; lower optimizer.lr or set train.nonfinite=skip");
    }
    opt_->step();
    opt_->zero_grad();
    prog_.step = step;
    prog_.tokens_seen += static_cast<int64_t>(tokens);
    const double dt = seconds_since(t0);
    w.loss += loss_sum, w.correct += correct, w.count += count, w.tokens += tokens, w.seconds += dt;
    train_seconds_ += dt;
    train_tokens_ += static_cast<int64_t>(tokens);
    progress_->update({step, loss_sum / count, correct / count, tokens / dt, opt_->lr()});
    return true;
}

void Trainer::maybe_log(Window& w) {
    if (w.count == 0 || (prog_.step % ex_.cfg.run.log_every != 0 && prog_.step != ex_.cfg.train.steps)) {
        return;
    }
    const StepStats s{prog_.step, w.loss / w.count, w.correct / w.count, w.tokens / w.seconds, opt_->lr()};
    progress_->log(s);
    metrics_->append({{"step", s.step}, {"split", "train"}, {"loss", s.loss}, {"accuracy", s.accuracy},
                      {"lr", s.lr}, {"tokens_per_s", s.tokens_per_s},
                      {"peak_tensor_bytes", cpu_allocator().stats().peak_bytes}});
    w.reset();
}

void Trainer::validate(bool final) {
    const Config& cfg = ex_.cfg;
    const auto& examples = ex_.task->examples(data::Split::Validation);
    if (examples.empty()) return;
    const EvalResult r = evaluate(*ex_.model, examples, eval_batch_options(cfg, ex_.info), ex_.device,
                                  ex_.info.num_classes, cfg.eval.batches);
    metrics_->append({{"step", prog_.step}, {"split", "validation"}, {"loss", r.loss},
                      {"accuracy", r.accuracy}, {"examples", r.count}});
    progress_->message("step " + std::to_string(prog_.step) + " validation accuracy " +
                       std::to_string(r.accuracy) + " loss " + std::to_string(r.loss) +
                       (final ? " (final)" : ""));
    if (r.accuracy > prog_.best_accuracy && prog_.step >= cfg.eval.best_after) {
        prog_.best_accuracy = r.accuracy;
        prog_.best_step = prog_.step;
        store_->save_best(checkpoint());
    }
}

void Trainer::save(bool final) {
    if (prog_.step == last_saved_) return;
    store_->save(prog_.step, checkpoint());
    last_saved_ = prog_.step;
    if (final) spdlog::info("checkpoint saved at step {} in {}", prog_.step, run_dir_);
}

void Trainer::final_test() {
    const auto& examples = ex_.task->examples(data::Split::Test);
    if (!ex_.cfg.eval.test || examples.empty()) return;
    if (auto best = store_->best()) {
        load_into_module(*ex_.model, CheckpointStore::load(*best).model, *best);
    }
    const EvalResult r = evaluate(*ex_.model, examples, eval_batch_options(ex_.cfg, ex_.info),
                                  ex_.device, ex_.info.num_classes);
    summary_.test_accuracy = r.accuracy;
    summary_.test_loss = r.loss;
    metrics_->append({{"step", prog_.step}, {"split", "test"}, {"loss", r.loss},
                      {"accuracy", r.accuracy}, {"examples", r.count}, {"best_step", prog_.best_step}});
    progress_->message("test accuracy " + std::to_string(r.accuracy) + " (best checkpoint, step " +
                       std::to_string(prog_.best_step) + ")");
}

TrainSummary Trainer::run() {
    setup_logging();
    start_or_resume();
    const Config& cfg = ex_.cfg;
    spdlog::info("training {} ({} parameters, attention {}) on {} for {} steps into {}",
                 ex_.info.name, ex_.model->num_parameters(), cfg.model.encoder.attention.type,
                 ex_.device.str(), cfg.train.steps, run_dir_);
    cpu_allocator().reset_peak();
    InterruptScope interrupts;
    progress_ = std::make_unique<Progress>(cfg.run.progress, cfg.train.steps, prog_.step);
    Window w;
    while (prog_.step < cfg.train.steps && !g_interrupted) {
        if (!train_step(w)) continue;
        maybe_log(w);
        if (cfg.eval.every > 0 && prog_.step % cfg.eval.every == 0) validate(false);
        if (cfg.train.checkpoint_every > 0 && prog_.step % cfg.train.checkpoint_every == 0) save(false);
    }
    summary_.interrupted = g_interrupted;
    if (!summary_.interrupted && (cfg.eval.every == 0 || prog_.step % cfg.eval.every != 0)) validate(true);
    save(true);
    progress_->finish();
    if (summary_.interrupted) {
        spdlog::warn("interrupted at step {}; continue with --resume", prog_.step);
    } else {
        final_test();
    }
    summary_.run_dir = run_dir_;
    summary_.steps = prog_.step;
    summary_.best_val_accuracy = prog_.best_accuracy;
    summary_.best_step = prog_.best_step;
    summary_.train_seconds = train_seconds_;
    summary_.tokens_per_s = train_seconds_ > 0 ? train_tokens_ / train_seconds_ : 0;
    summary_.peak_tensor_bytes = cpu_allocator().stats().peak_bytes;
    summary_.peak_rss_bytes = peak_rss_bytes();
    summary_.skipped_batches = prog_.skipped_batches;
    return summary_;
}

}  // namespace

TrainSummary run_training(Config cfg, const TrainOptions& options) {
    const std::string attention = cfg.model.encoder.attention.type;
    const uint64_t seed = cfg.run.seed;
    Trainer t(std::move(cfg), options);
    TrainSummary s = t.run();
    write_summary(s, {{"attention", attention}, {"seed", seed}});
    return s;
}

}  // namespace lm::train
