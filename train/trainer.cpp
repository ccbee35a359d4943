#include "train/trainer.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/autograd/accumulate_grad.h"
#include "core/autograd/autocast.h"
#include "core/autograd/functional.h"
#include "core/tensor/allocator.h"
#include "data/batch_stream.h"
#include "train/batch_tensors.h"
#include "train/dist/grad_buckets.h"
#include "train/dist/shard.h"
#include "train/evaluate.h"
#include "train/grad_scaler.h"
#include "train/interrupts.h"
#include "train/io/run_lock.h"
#include "train/io/train_state.h"
#include "train/io/warm_start.h"
#include "train/optim/param_groups.h"
#include "train/report/metrics.h"
#include "train/report/progress.h"
#include "train/report/summary.h"
#include "train/schedule.h"

namespace lm::train {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Seconds since the Unix epoch, as a wall clock reads them.
double unix_time() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Running means of the train loss and accuracy between log lines.
struct Window {
    double loss = 0, correct = 0, count = 0, tokens = 0, seconds = 0;
    double grad_norm = 0;  // of the window's last step, before clipping
    void reset() { *this = Window{}; }
};

// Sums over the micro-batches of a step (over all ranks when distributed).
struct StepTotals {
    double loss_sum = 0, correct = 0, count = 0, tokens = 0;
};

// The checkpoint's config (as it trained: a version-1 Nystrom checkpoint used the reference's
// landmarks) against this run's, run.distributed aside (a run may resume with another rank
// count, or without MPI): "" when they match, else the saved settings that differ.
std::string training_config_difference(const std::string& saved,
                                       int64_t version,
                                       const Config& cfg) {
    const std::string now = dump_config(cfg);
    if (saved == now) return "";
    Config old = parse_config(saved, "checkpoint config");
    old.run.distributed = cfg.run.distributed;
    old.run.threads = cfg.run.threads;  // results do not depend on the thread count
    if (predates_landmark_mode(old, version))
        old.model.encoder.attention.landmark_mode = "reference";
    const std::string then = dump_config(old);
    if (then == now) return "";
    // the lines of the saved dump this run's lacks (nested keys show their own line)
    std::string diff;
    std::istringstream a(then), b(now);
    for (std::string x, y; std::getline(a, x);) {
        if (!std::getline(b, y)) y.clear();
        if (x != y && diff.size() < 400) diff += "\n  checkpoint: " + x + "\n  this run:   " + y;
    }
    return diff.empty() ? "\n  (the configs differ in length)" : diff;
}

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
    void warm_start_from(const std::string& path);
    bool train_step(Window& w);  // false when the batch was skipped
    double micro_batch(int64_t accum, bool last, StepTotals& t);  // the global mean loss
    bool skip_step(int64_t step, const std::string& why);         // or throws
    bool unscale_or_skip(int64_t step);  // fp16: false when the step overflowed
    bool stop_requested() const;
    void maybe_log(Window& w);
    void validate(bool final);
    void save(bool final);
    void final_test();
    CheckpointData checkpoint() const;

    TrainOptions opts_;
    std::string run_dir_;
    // Data parallelism: comm_ is the process group (one local process unless
    // run.distributed=mpi); only the lead rank (0) logs, evaluates and writes files.
    dist::Communicator* comm_ = nullptr;
    bool distributed_ = false;
    bool lead_ = true;
    std::unique_ptr<dist::GradBuckets> buckets_;
    bool interrupted_ = false;
    Experiment ex_;
    std::unique_ptr<RunLock> lock_;  // held while training into run_dir_ (lead rank)
    std::unique_ptr<Optimizer> opt_;
    nn::NamedTensors trainable_;  // the parameters not frozen by train.freeze
    // Mixed precision (train.precision): the forward's autocast dtype (Float32 = off) and the
    // fp16 loss scaler (disabled otherwise).
    DType autocast_ = DType::Float32;
    GradScaler scaler_{false};
    std::unique_ptr<Schedule> schedule_;
    std::unique_ptr<data::BatchStream> stream_;
    int64_t batches_per_epoch_ = 1;
    std::unique_ptr<CheckpointStore> store_;
    std::unique_ptr<MetricsLog> metrics_;
    std::unique_ptr<Progress> progress_;
    Progression prog_;
    TrainSummary summary_;
    int64_t last_saved_ = -1;
};

Trainer::Trainer(Config cfg, const TrainOptions& opts) : opts_(opts) {
    if (!opts.run_dir.empty()) cfg.run.dir = opts.run_dir;
    run_dir_ = default_run_dir(cfg);
    cfg.run.dir = run_dir_;
    comm_ = &dist::world(cfg.run.distributed);
    distributed_ = cfg.run.distributed == "mpi";
    lead_ = comm_->rank() == 0;
    if (distributed_) dist::check_batch_divides(cfg, comm_->size());
    const std::string device = cfg.run.device;
    if (distributed_) cfg.run.device = dist::device_for_rank(device, comm_->local_rank());
    ex_ = build_experiment(std::move(cfg), opts.resume ? run_dir_ : "");
    ex_.cfg.run.device = device;  // the config as written, the same on every rank
}

void Trainer::setup_logging() {
    if (!lead_) {
        spdlog::set_level(spdlog::level::off);
        return;
    }
    fs::create_directories(run_dir_);
    lock_ = std::make_unique<RunLock>(run_dir_);  // before anything is written into it
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(
        (fs::path(run_dir_) / "train.log").string());
    spdlog::default_logger()->sinks().push_back(file);
}

// Loads the matching tensors of `path` (train.init_from) and logs what was loaded, what is new
// and what was left unused.
void Trainer::warm_start_from(const std::string& path) {
    const std::string dir = CheckpointStore::resolve(path, true);
    const WarmStartReport report = warm_start(*ex_.model, CheckpointStore::load(dir).model, dir);
    prog_.warm_started = report.loaded;
    for (const std::string& line : describe(report, dir))
        spdlog::info("{}", line);
}

void Trainer::start_or_resume() {
    const Config& cfg = ex_.cfg;
    store_ =
        std::make_unique<CheckpointStore>(run_dir_, static_cast<int>(cfg.train.keep_checkpoints));
    trainable_ = trainable_parameters(*ex_.model, cfg.train.freeze);
    opt_ = make_optimizer(cfg.optimizer, trainable_);
    autocast_ = precision_dtype(cfg.train.precision);
    scaler_ = GradScaler(cfg.train.precision == "fp16");
    ScheduleConfig sc = cfg.schedule;
    if (sc.total_steps == 0) sc.total_steps = cfg.train.steps;
    schedule_ = std::make_unique<Schedule>(sc, cfg.optimizer.lr);
    const auto& train_examples = ex_.task->examples(data::Split::Train);
    stream_ = std::make_unique<data::BatchStream>(train_examples,
                                                  train_batch_options(cfg, ex_.info), true);
    batches_per_epoch_ =
        std::max<int64_t>(1, data::batches_per_epoch(static_cast<int64_t>(train_examples.size()),
                                                     train_batch_options(cfg, ex_.info)));
    metrics_ = std::make_unique<MetricsLog>((fs::path(run_dir_) / "metrics.jsonl").string());
    const auto latest = store_->latest();
    if (opts_.resume) {
        if (!latest) throw TrainingError("--resume: no checkpoint in " + run_dir_);
        const CheckpointData ck = CheckpointStore::load(*latest);
        const std::string saved = ck.trainer.at("config").get<std::string>();
        const int64_t version = ck.trainer.value("version", int64_t{1});
        const std::string diff = training_config_difference(saved, version, ex_.cfg);
        if (!diff.empty()) {
            throw ConfigError("--resume: the config differs from the one " + run_dir_ +
                              " was trained with (see " + run_dir_ + "/config.yaml):" + diff);
        }
        data::StreamState st;
        restore_checkpoint(ck, ex_, *opt_, &st, &prog_);
        stream_->restore(st);
        if (scaler_.enabled() && ck.trainer.contains("grad_scaler")) {
            scaler_.load_state(ck.trainer.at("grad_scaler"));
        }
        if (lead_) metrics_->truncate_after(prog_.step);
        last_saved_ = prog_.step;
        spdlog::info("resumed {} at step {}", run_dir_, prog_.step);
    } else if (latest) {
        throw TrainingError("run directory " + run_dir_ +
                            " already holds checkpoints; pass "
                            "--resume to continue it or --run-dir to start elsewhere");
    } else {
        if (!cfg.train.init_from.empty()) warm_start_from(cfg.train.init_from);
        if (lead_) {
            std::ofstream(fs::path(run_dir_) / "config.yaml") << dump_config(ex_.cfg);
            std::ofstream(fs::path(run_dir_) / "metrics.jsonl", std::ios::trunc);
        }
    }
    opt_->set_lr_scale(prog_.warm_started, cfg.train.init_lr_scale);
    if (distributed_) {
        // Every rank built the same model from run.seed (or loaded the same checkpoint); the
        // broadcast makes rank 0's weights the truth whatever the init did.
        dist::broadcast_parameters(*comm_, ex_.model->parameters());
        std::vector<Tensor> updated;  // frozen parameters never get a gradient to reduce
        for (const auto& [name, p] : trainable_)
            updated.push_back(p);
        buckets_ = std::make_unique<dist::GradBuckets>(
            dist::gradient_communicator(*comm_, ex_.device), updated);
    }
}

// One micro-batch: this rank's shard of it forward and backward. Adds the global sums to `t`
// and returns the global mean loss; a non-finite one returns before any backward, on every rank.
double Trainer::micro_batch(int64_t accum, bool last, StepTotals& t) {
    const data::HostBatch global = stream_->next();
    const data::HostBatch hb =
        distributed_ ? dist::shard_batch(global, comm_->rank(), comm_->size()) : global;
    // loss sum, correct, targets (examples, or predicted tokens of a masked LM), real tokens
    double sums[4] = {0, 0, 0, static_cast<double>(hb.real_tokens)};
    Tensor loss;
    if (hb.batch > 0) {
        const DeviceBatch db = model_batch(hb, batch_masking(ex_.cfg, ex_.info),
                                           static_cast<uint64_t>(prog_.step + 1), ex_.device);
        Tensor logits;
        {
            const AutocastScope amp(autocast_);  // the forward only; backward needs no scope
            logits = ex_.model->forward(db.inputs);
        }
        loss = cross_entropy(logits, db.labels);
        sums[2] = static_cast<double>(db.targets);
        sums[0] = loss.item() * sums[2];
        sums[1] = sum(eq(argmax(logits.detach(), 1), db.labels).to(DType::Float32)).item();
    }
    const double local_targets = sums[2];
    if (distributed_) comm_->allreduce_sum(sums, 4);
    const double mean = sums[0] / sums[2];
    if (!std::isfinite(mean)) return mean;
    if (loss.defined()) {
        // Each rank's mean weighted by its share of the global batch's targets: the ranks'
        // gradients sum to the gradient of the global mean (1/accum of it, as micro-batches add
        // up).
        const double weight = local_targets / (sums[2] * static_cast<double>(accum));
        std::optional<GradReadyHookScope> hook;
        if (last && buckets_)
            hook.emplace([this](const TensorImpl& l) { buckets_->on_grad_ready(l); });
        (loss * (weight * scaler_.scale())).backward();  // scale 1 unless fp16
    }
    t.loss_sum += sums[0], t.correct += sums[1], t.count += sums[2], t.tokens += sums[3];
    return mean;
}

bool Trainer::skip_step(int64_t step, const std::string& why) {
    opt_->zero_grad();
    if (ex_.cfg.train.nonfinite == "skip") {
        progress_->message("skipping step " + std::to_string(step) + ": " + why);
        ++prog_.skipped_batches;
        return false;
    }
    throw TrainingError("non-finite " + why + " at step " + std::to_string(step) +
                        "; lower optimizer.lr, set train.clip_norm, or set train.nonfinite=skip "
                        "to skip such batches");
}

CheckpointData Trainer::checkpoint() const {
    CheckpointData ck = make_checkpoint(ex_, *opt_, stream_->state(), prog_);
    if (scaler_.enabled()) ck.trainer["grad_scaler"] = scaler_.state();  // exact fp16 resume
    return ck;
}

// fp16: divides the grads by the loss scale before clipping; an overflow (inf/NaN grads) skips
// the optimizer step and backs the scale off. It is the scaler's normal work, not a failure, so
// train.nonfinite does not apply.
bool Trainer::unscale_or_skip(int64_t step) {
    if (!scaler_.enabled()) return true;
    const bool finite = scaler_.unscale(ex_.model->parameters());
    scaler_.update(!finite);
    if (finite) return true;
    opt_->zero_grad();
    progress_->message("step " + std::to_string(step) +
                       ": fp16 gradient overflow, step skipped; "
                       "loss scale now " +
                       std::to_string(scaler_.scale()));
    return false;
}

bool Trainer::train_step(Window& w) {
    const Config& cfg = ex_.cfg;
    const int64_t step = prog_.step + 1;
    opt_->set_lr(schedule_->lr(step - 1));
    if (auto b1 = schedule_->beta1(step - 1)) opt_->set_beta1(*b1);
    const auto t0 = Clock::now();
    const int64_t accum = cfg.train.grad_accum;
    StepTotals t;
    for (int64_t a = 0; a < accum; ++a) {
        const double lv = micro_batch(accum, a == accum - 1, t);
        if (!std::isfinite(lv)) return skip_step(step, "loss (" + std::to_string(lv) + ")");
    }
    if (buckets_) buckets_->finish();  // every rank now holds the global batch's gradient
    if (!unscale_or_skip(step)) return false;
    const std::vector<Tensor> params = ex_.model->parameters();
    if (cfg.train.clip_value > 0) clip_grad_value(params, cfg.train.clip_value);
    const double norm =
        clip_grad_norm(params, cfg.train.clip_norm > 0 ? cfg.train.clip_norm : 1e300);
    if (!std::isfinite(norm))
        return skip_step(step, "gradient norm (" + std::to_string(norm) + ")");
    opt_->step();
    opt_->zero_grad();
    prog_.step = step;
    prog_.tokens_seen += static_cast<int64_t>(t.tokens);
    const double dt = seconds_since(t0);
    w.loss += t.loss_sum, w.correct += t.correct, w.count += t.count, w.tokens += t.tokens;
    w.seconds += dt;
    w.grad_norm = norm;
    prog_.train_seconds += dt;
    prog_.timed_tokens += static_cast<int64_t>(t.tokens);
    progress_->update({step, t.loss_sum / t.count, t.correct / t.count, t.tokens / dt, opt_->lr()});
    return true;
}

bool Trainer::stop_requested() const {
    // Ranks must stop at the same step, whichever of them caught the signal.
    return distributed_ ? comm_->any(interrupt_signal() != 0) : interrupt_signal() != 0;
}

void Trainer::maybe_log(Window& w) {
    if (!lead_ || w.count == 0 ||
        (prog_.step % ex_.cfg.run.log_every != 0 && prog_.step != ex_.cfg.train.steps)) {
        return;
    }
    const StepStats s{prog_.step, w.loss / w.count, w.correct / w.count, w.tokens / w.seconds,
                      opt_->lr()};
    progress_->log(s);
    const data::StreamState at = stream_->state();
    const double epoch = static_cast<double>(at.epoch) +
                         static_cast<double>(at.position) / static_cast<double>(batches_per_epoch_);
    metrics_->append({{"step", s.step},
                      {"split", "train"},
                      {"loss", s.loss},
                      {"accuracy", s.accuracy},
                      {"lr", s.lr},
                      {"grad_norm", w.grad_norm},
                      {"epoch", epoch},
                      {"tokens_per_s", s.tokens_per_s},
                      {"train_seconds", prog_.train_seconds},
                      {"time", unix_time()},
                      {"peak_tensor_bytes", cpu_allocator().stats().peak_bytes}});
    w.reset();
}

void Trainer::validate(bool final) {
    const Config& cfg = ex_.cfg;
    const auto& examples = ex_.task->examples(data::Split::Validation);
    if (!lead_ || examples.empty()) return;
    const EvalResult r =
        evaluate(*ex_.model, examples, eval_batch_options(cfg, ex_.info), ex_.device,
                 ex_.info.num_classes, cfg.eval.batches, batch_masking(cfg, ex_.info));
    metrics_->append(eval_record(r, prog_.step, "validation"));
    progress_->message("step " + std::to_string(prog_.step) + " validation " + describe(r) +
                       (final ? " (final)" : ""));
    if (r.accuracy > prog_.best_accuracy && prog_.step >= cfg.eval.best_after) {
        prog_.best_accuracy = r.accuracy;
        prog_.best_step = prog_.step;
        store_->save_best(checkpoint());
    }
}

void Trainer::save(bool final) {
    if (!lead_ || prog_.step == last_saved_) return;
    store_->save(prog_.step, checkpoint());
    last_saved_ = prog_.step;
    if (final) spdlog::info("checkpoint saved at step {} in {}", prog_.step, run_dir_);
}

void Trainer::final_test() {
    const auto& examples = ex_.task->examples(data::Split::Test);
    if (!lead_ || !ex_.cfg.eval.test || examples.empty()) return;
    if (auto best = store_->best()) {
        load_into_module(*ex_.model, CheckpointStore::load(*best).model, *best);
    }
    const EvalResult r =
        evaluate(*ex_.model, examples, eval_batch_options(ex_.cfg, ex_.info), ex_.device,
                 ex_.info.num_classes, 0, batch_masking(ex_.cfg, ex_.info));
    summary_.test_accuracy = r.accuracy;
    summary_.test_loss = r.loss;
    nlohmann::json record = eval_record(r, prog_.step, "test");
    record["best_step"] = prog_.best_step;
    metrics_->append(record);
    progress_->message("test " + describe(r) + " (best checkpoint, step " +
                       std::to_string(prog_.best_step) + ")");
}

TrainSummary Trainer::run() {
    setup_logging();
    start_or_resume();
    const Config& cfg = ex_.cfg;
    spdlog::info(
        "training {} ({} parameters, attention {}, precision {}) on {} for {} steps into {}",
        ex_.info.name, ex_.model->num_parameters(), cfg.model.encoder.attention.type,
        cfg.train.precision, ex_.device.str(), cfg.train.steps, run_dir_);
    cpu_allocator().reset_peak();
    InterruptScope interrupts;
    progress_ =
        std::make_unique<Progress>(lead_ ? cfg.run.progress : "log", cfg.train.steps, prog_.step);
    Window w;
    while (prog_.step < cfg.train.steps && !(interrupted_ = stop_requested())) {
        if (!train_step(w)) continue;
        maybe_log(w);
        if (cfg.eval.every > 0 && prog_.step % cfg.eval.every == 0) validate(false);
        const bool asked =
            distributed_ ? comm_->any(take_checkpoint_request()) : take_checkpoint_request();
        if (asked) spdlog::info("SIGUSR1: checkpoint at step {}", prog_.step);
        if (asked ||
            (cfg.train.checkpoint_every > 0 && prog_.step % cfg.train.checkpoint_every == 0))
            save(false);
    }
    summary_.interrupted = interrupted_;
    // another rank caught it: report it as a termination
    summary_.signal = !interrupted_ ? 0 : interrupt_signal() != 0 ? interrupt_signal() : SIGTERM;
    if (!summary_.interrupted && (cfg.eval.every == 0 || prog_.step % cfg.eval.every != 0))
        validate(true);
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
    summary_.train_seconds = prog_.train_seconds;
    summary_.tokens_per_s =
        prog_.train_seconds > 0 ? static_cast<double>(prog_.timed_tokens) / prog_.train_seconds : 0;
    summary_.peak_tensor_bytes = cpu_allocator().stats().peak_bytes;
    summary_.peak_rss_bytes = peak_rss_bytes();
    summary_.skipped_batches = prog_.skipped_batches;
    return summary_;
}

}  // namespace

TrainSummary run_training(Config cfg, const TrainOptions& options) {
    const std::string attention = cfg.model.encoder.attention.type;
    const uint64_t seed = cfg.run.seed;
    const std::string cfg_distributed = cfg.run.distributed;
    Trainer t(std::move(cfg), options);
    TrainSummary s = t.run();
    if (dist::world(cfg_distributed).rank() == 0) {
        write_summary(s, {{"attention", attention}, {"seed", seed}});
    }
    return s;
}

}  // namespace lm::train
