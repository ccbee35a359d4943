#include "train/experiment.h"

#include "core/base/parallel.h"
#include "train/io/checkpoint.h"
#include "train/io/sidecar.h"

namespace lm::train {

Device resolve_device(const std::string& spec) {
    if (spec == "auto") return cuda_device_count() > 0 ? Device::cuda(0) : Device::cpu();
    const Device d = Device::parse(spec);
    if (d.is_cuda()) {
        const int n = cuda_device_count();
        LM_CHECK(n > 0, "no CUDA device: run.device=", spec, " needs a GPU, but ",
#ifdef LANDMARK_WITH_CUDA
                 "none was found (check the driver with nvidia-smi)",
#else
                 "this build has no CUDA backend (configure where nvcc is available)",
#endif
                 "; use run.device=cpu or auto");
        LM_CHECK(d.index < n, "run.device=", spec, " but only ", n, " CUDA device(s) exist");
    }
    return d;
}

namespace {
int64_t round_up(int64_t x, int64_t m) {
    return (x + m - 1) / m * m;
}
}  // namespace

void resolve_model_config(Config& cfg, const data::TaskInfo& info) {
    auto& enc = cfg.model.encoder;
    enc.vocab_size = info.vocab_size;
    const bool mlm = cfg.model.type == "masked_lm";
    if (mlm && info.mask_id < 0) {
        throw ConfigError(
            "config: model.type: masked_lm pre-trains on unlabeled text and needs "
            "a task with a MASK token (task.name: corpus), got task '" +
            info.name + "'");
    }
    if (mlm && !(cfg.train.mlm_probability > 0.0)) {
        throw ConfigError("config: train.mlm_probability: expected a number in (0, 1], got 0");
    }
    if (!mlm && info.num_classes == 0) {
        throw ConfigError("config: task.name: task '" + info.name +
                          "' is unlabeled text, so it cannot train model.type=" + cfg.model.type +
                          ", which needs classes; pre-train on it with model.type=masked_lm");
    }
    cfg.model.num_classes = info.num_classes;
    const int64_t cls = cfg.model.pooling == "cls" ? 1 : 0;
    const int64_t padded = round_up(info.max_length + cls, cfg.train.pad_multiple);
    if (enc.max_len == 0) enc.max_len = padded;
    if (enc.max_len < padded) {
        throw ConfigError("config: model.max_len: " + std::to_string(enc.max_len) +
                          " is shorter than the task's padded length " + std::to_string(padded));
    }
    if (!mlm && info.paired != (cfg.model.type == "dual_encoder")) {
        throw ConfigError("config: model.type: task '" + info.name + "' " +
                          (info.paired ? "has paired inputs and needs model.type=dual_encoder"
                                       : "has single inputs and needs model.type=classifier"));
    }
}

BatchMasking batch_masking(const Config& cfg, const data::TaskInfo& info) {
    BatchMasking m;
    m.seed = cfg.run.seed;
    if (cfg.model.type != "masked_lm") return m;
    data::MlmMaskOptions o;
    o.mask_prob = cfg.train.mlm_probability;
    o.mask_id = info.mask_id;
    m.mlm = o;
    return m;
}

namespace {
data::BatchOptions batch_options(const Config& cfg,
                                 const data::TaskInfo& info,
                                 int64_t batch_size,
                                 bool shuffle) {
    data::BatchOptions o;
    o.batch_size = batch_size;
    o.shuffle = shuffle;
    o.seed = cfg.run.seed;
    o.padding = cfg.train.padding;
    o.pad_multiple = cfg.train.pad_multiple;
    o.max_length = info.max_length;
    o.bucket_by_length = shuffle && cfg.train.bucket_by_length;
    o.prepend_cls = cfg.model.pooling == "cls";
    o.prefetch = static_cast<int>(cfg.train.prefetch);
    return o;
}
}  // namespace

data::BatchOptions train_batch_options(const Config& cfg, const data::TaskInfo& info) {
    return batch_options(cfg, info, cfg.train.batch_size / cfg.train.grad_accum, true);
}

data::BatchOptions eval_batch_options(const Config& cfg, const data::TaskInfo& info) {
    const int64_t bs = cfg.eval.batch_size > 0 ? cfg.eval.batch_size : cfg.train.batch_size;
    return batch_options(cfg, info, bs, false);
}

namespace {
// A warm start takes the tokenizer and the vocabulary of the run it starts from: the task's
// tokenizer must be the same, and the vocabulary keeps that run's extra ids (a corpus's MASK).
void inherit_vocabulary(const std::string& from_run, const data::Task& task, data::TaskInfo& info) {
    const std::string dir = CheckpointStore::resolve(from_run, true);
    const CheckpointData ck = CheckpointStore::load(dir);
    const Sidecar from = parse_sidecar(ck.trainer, dir + "/trainer.json");
    if (from.tokenizer->to_json() != task.tokenizer().to_json()) {
        throw ConfigError("config: train.init_from: " + dir + " was trained with the " +
                          from.tokenizer->type() + " tokenizer (vocab " +
                          std::to_string(from.tokenizer->vocab_size()) + ") but task '" +
                          info.name + "' uses the " + task.tokenizer().type() +
                          " tokenizer (vocab " + std::to_string(task.tokenizer().vocab_size()) +
                          "); set task.tokenizer and task.tokenizer_model to the pre-training "
                          "run's");
    }
    info.vocab_size = from.info.vocab_size;
    info.mask_id = from.info.mask_id;
}
}  // namespace

Experiment build_experiment(Config cfg, const std::string& resuming) {
    if (cfg.run.threads > 0) set_num_threads(static_cast<int>(cfg.run.threads));
    Experiment ex;
    ex.device = resolve_device(cfg.run.device);
    ex.task = data::make_task(cfg.task);
    ex.info = ex.task->info();
    if (!cfg.train.init_from.empty())
        inherit_vocabulary(resuming.empty() ? cfg.train.init_from : resuming, *ex.task, ex.info);
    resolve_model_config(cfg, ex.info);
    ex.init_gen = std::make_unique<Generator>(cfg.run.seed);
    ex.dropout_gen = std::make_unique<Generator>(cfg.run.seed ^ 0x9E3779B97F4A7C15ull);
    ex.model = models::make_model(cfg.model, *ex.init_gen, *ex.dropout_gen);
    ex.model->to(ex.device);
    ex.model->train();
    ex.cfg = std::move(cfg);
    return ex;
}

}  // namespace lm::train
