#include "train/config_fields.h"

#include <algorithm>
#include <sstream>

#include "core/base/strings.h"
#include "data/error.h"
#include "layers/attention/registry.h"

namespace lm::train {

namespace {

// task.* keys come from the data module's option table.
void add_task_fields(std::vector<Field>& out) {
    for (const auto& info : data::task_option_table()) {
        const std::string key = info.key;
        Option<Config> o{"task." + key, info.type, info.help, info.is_list, nullptr, nullptr};
        o.set = [key](Config& c, const std::string& s) {
            try {
                data::set_task_option(c.task, key, s);
            } catch (const data::DataError& e) {
                throw OptionError(e.what());
            }
        };
        o.get = [key](const Config& c) { return data::task_option_values(c.task).at(key); };
        Field f(std::move(o));
        if (!info.tasks.empty()) {
            f.applies = [tasks = info.tasks](const Config& c) {
                return std::find(tasks.begin(), tasks.end(), c.task.name) != tasks.end();
            };
        }
        out.push_back(std::move(f));
    }
}

#define LM_REF(expr)       \
    [](auto& c) -> auto& { \
        return c.expr;     \
    }
constexpr int64_t kMaxInt = INT64_MAX;

// A comma-separated list (a YAML sequence in configs) of strings, empty items dropped.
template <class Section, class Get>
Field list_option(std::string key,
                  std::vector<std::string> Section::*field,
                  std::string doc,
                  Get section) {
    Option<Config> o{std::move(key), "list of strings", std::move(doc), true, nullptr, nullptr};
    o.set = [field, section](Config& c, const std::string& s) {
        auto& list = section(c).*field;
        list.clear();
        std::stringstream ss(s);
        for (std::string item; std::getline(ss, item, ',');) {
            if (!item.empty()) list.push_back(item);
        }
    };
    o.get = [field, section](const Config& c) { return join(section(c).*field, ","); };
    return o;
}

void add_model_fields(std::vector<Field>& f) {
    f.push_back(choice_option<Config>("model.type", LM_REF(model.type),
                                      {"classifier", "dual_encoder", "masked_lm"},
                                      "classifier, dual_encoder for paired tasks (brown-match), or "
                                      "masked_lm to pre-train the encoder on a corpus task"));
    f.push_back(bool_option<Config>("model.tie_embeddings", LM_REF(model.tie_embeddings),
                                    "masked_lm: the output projection is the token embedding"));
    f.push_back(choice_option<Config>("model.pooling", LM_REF(model.pooling), {"mean", "cls"},
                                      "mean over real tokens (the reference divides by the padded "
                                      "length), or the CLS token prepended at position 0"));
    f.push_back(
        integer_option<Config>("model.dim", LM_REF(model.encoder.dim), 1, 65536, "model width D"));
    f.push_back(integer_option<Config>("model.ffn_dim", LM_REF(model.encoder.ffn_dim), 1, 1 << 20,
                                       "feed-forward hidden size F"));
    f.push_back(integer_option<Config>("model.heads", LM_REF(model.encoder.heads), 1, 256,
                                       "attention heads H"));
    f.push_back(integer_option<Config>("model.head_dim", LM_REF(model.encoder.head_dim), 1, 4096,
                                       "per-head size d of q, k, v"));
    f.push_back(integer_option<Config>("model.layers", LM_REF(model.encoder.layers), 0, 256,
                                       "encoder blocks"));
    f.push_back(
        number_option<Config>("model.dropout", LM_REF(model.encoder.dropout), 0, 1, true,
                              "dropout after embeddings, attention and in the feed-forward"));
    f.push_back(choice_option<Config>("model.activation", LM_REF(model.encoder.activation),
                                      {"gelu", "gelu_tanh", "relu"},
                                      "feed-forward activation (gelu = erf form)"));
    f.push_back(choice_option<Config>("model.position", LM_REF(model.encoder.position),
                                      {"learned", "sinusoidal", "none"},
                                      "absolute position embeddings"));
    f.push_back(number_option<Config>("model.layer_norm_eps", LM_REF(model.encoder.layer_norm_eps),
                                      0, 1, false, "layer-norm epsilon"));
    f.push_back(
        bool_option<Config>("model.skip_padding", LM_REF(model.encoder.skip_padding),
                            "run norms, projections and feed-forward on real tokens only (same "
                            "results; softmax and nystrom attention, which ignore padded rows)"));
    f.push_back(
        integer_option<Config>("model.max_len", LM_REF(model.encoder.max_len), 0, kMaxInt,
                               "position-table size; 0 = the padded input length of the task"));
    f.push_back(integer_option<Config>("model.head_hidden", LM_REF(model.head_hidden), 0, 1 << 20,
                                       "hidden size of the classifier head; 0 = ffn_dim"));
}

// model.attention.* keys: the type, then every type's options as the registry declares them.
void add_attention_fields(std::vector<Field>& f) {
    f.push_back(choice_option<Config>("model.attention.type", LM_REF(model.encoder.attention.type),
                                      nn::attention_kernel_names(),
                                      "attention kernel (docs/attention.md)"));
    for (const nn::AttentionOption& a : nn::attention_options()) {
        Option<Config> o{"model.attention." + a.key, a.type, a.doc, a.is_list, nullptr, nullptr};
        o.set = [set = a.set](Config& c, const std::string& s) {
            set(c.model.encoder.attention, s);
        };
        o.get = [get = a.get](const Config& c) { return get(c.model.encoder.attention); };
        f.push_back(Field(std::move(o)));
    }
}

void add_train_fields(std::vector<Field>& f) {
    f.push_back(
        integer_option<Config>("train.steps", LM_REF(train.steps), 1, kMaxInt, "optimizer steps"));
    f.push_back(integer_option<Config>("train.batch_size", LM_REF(train.batch_size), 1, 1 << 20,
                                       "examples per optimizer step"));
    f.push_back(integer_option<Config>("train.grad_accum", LM_REF(train.grad_accum), 1, 1 << 16,
                                       "micro-batches per step (batch_size must be a multiple)"));
    f.push_back(number_option<Config>("train.clip_norm", LM_REF(train.clip_norm), 0, 1e12, false,
                                      "clip gradients to this global norm; 0 = off"));
    f.push_back(number_option<Config>("train.clip_value", LM_REF(train.clip_value), 0, 1e12, false,
                                      "clip gradient elements to +-value; 0 = off"));
    f.push_back(
        choice_option<Config>("train.nonfinite", LM_REF(train.nonfinite), {"stop", "skip"},
                              "on a NaN/Inf loss: stop naming the step, or skip the batch"));
    f.push_back(integer_option<Config>("train.checkpoint_every", LM_REF(train.checkpoint_every), 0,
                                       kMaxInt, "steps between checkpoints; 0 = only at the end"));
    f.push_back(integer_option<Config>("train.keep_checkpoints", LM_REF(train.keep_checkpoints), 1,
                                       1000, "newest step checkpoints kept"));
    f.push_back(
        choice_option<Config>("train.padding", LM_REF(train.padding), {"fixed", "longest"},
                              "pad every batch to the task's maximum length, or to its longest"));
    f.push_back(integer_option<Config>("train.pad_multiple", LM_REF(train.pad_multiple), 1, 1 << 20,
                                       "round padded lengths up to a multiple of this"));
    f.push_back(bool_option<Config>("train.bucket_by_length", LM_REF(train.bucket_by_length),
                                    "batch examples of similar length together"));
    f.push_back(integer_option<Config>("train.prefetch", LM_REF(train.prefetch), 0, 64,
                                       "batches prepared ahead on a background thread"));
    f.push_back(choice_option<Config>(
        "train.precision", LM_REF(train.precision), {"fp32", "bf16", "fp16"},
        "mixed precision like torch.autocast: bf16/fp16 round the inputs and weights of the "
        "linear layers' GEMMs (Q/K/V/out projections, FFN, head) with fp32 accumulation; "
        "attention cores, norms and losses and the master weights stay fp32; fp16 adds dynamic "
        "loss scaling (docs/cuda.md). On the CPU the rounding is emulated (slower than fp32)"));
    f.push_back(number_option<Config>(
        "train.mlm_probability", LM_REF(train.mlm_probability), 0, 1, false,
        "masked_lm: share of each sequence's real tokens to predict (BERT: 0.15; of those 80 % "
        "become MASK, 10 % a random token, 10 % stay)"));
    f.push_back(string_option<Config>(
        "train.init_from", LM_REF(train.init_from),
        "warm start: a run or checkpoint directory (a run's best checkpoint, else its latest) "
        "whose tensors of matching name and shape initialise the model; its tokenizer and "
        "vocabulary are used"));
    f.push_back(list_option(
        "train.freeze", &TrainConfig::freeze, "parameter-name prefixes kept fixed (e.g. encoder.)",
        [](auto& c) -> auto& { return c.train; }));
    f.push_back(number_option<Config>("train.init_lr_scale", LM_REF(train.init_lr_scale), 0, 1e6,
                                      false,
                                      "learning-rate multiplier of the parameters loaded by "
                                      "train.init_from"));
}

void add_optimizer_fields(std::vector<Field>& f) {
    f.push_back(choice_option<Config>("optimizer.type", LM_REF(optimizer.type),
                                      {"adamw", "adam", "sgd"}, "optimizer"));
    f.push_back(number_option<Config>("optimizer.lr", LM_REF(optimizer.lr), 0, 1e3, false,
                                      "peak learning rate"));
    f.push_back(number_option<Config>("optimizer.beta1", LM_REF(optimizer.beta1), 0, 1, true,
                                      "Adam beta1"));
    f.push_back(number_option<Config>("optimizer.beta2", LM_REF(optimizer.beta2), 0, 1, true,
                                      "Adam beta2"));
    f.push_back(
        number_option<Config>("optimizer.eps", LM_REF(optimizer.eps), 0, 1, false, "Adam epsilon"));
    f.push_back(number_option<Config>("optimizer.weight_decay", LM_REF(optimizer.weight_decay), 0,
                                      1e3, false,
                                      "weight decay (decoupled for adamw, L2 for adam and sgd)"));
    f.push_back(number_option<Config>("optimizer.momentum", LM_REF(optimizer.momentum), 0, 1, true,
                                      "sgd momentum"));
    f.push_back(bool_option<Config>("optimizer.nesterov", LM_REF(optimizer.nesterov),
                                    "sgd Nesterov momentum"));
    f.push_back(list_option(
        "optimizer.no_decay", &OptimizerConfig::no_decay,
        "parameter-name patterns without weight decay",
        [](auto& c) -> auto& { return c.optimizer; }));
}

void add_schedule_fields(std::vector<Field>& f) {
    f.push_back(choice_option<Config>(
        "schedule.type", LM_REF(schedule.type), {"onecycle", "linear", "cosine", "constant"},
        "learning-rate schedule (onecycle = the reference's OneCycleLR)"));
    f.push_back(integer_option<Config>("schedule.warmup_steps", LM_REF(schedule.warmup_steps), 0,
                                       kMaxInt, "linear warmup steps"));
    f.push_back(integer_option<Config>("schedule.total_steps", LM_REF(schedule.total_steps), 0,
                                       kMaxInt, "schedule length; 0 = train.steps"));
    f.push_back(number_option<Config>("schedule.min_lr_ratio", LM_REF(schedule.min_lr_ratio), 0, 1,
                                      false, "linear/cosine: final lr as a fraction of the peak"));
    f.push_back(number_option<Config>("schedule.div_factor", LM_REF(schedule.div_factor), 1, 1e12,
                                      false, "onecycle: initial lr = lr / div_factor"));
    f.push_back(number_option<Config>("schedule.final_div_factor",
                                      LM_REF(schedule.final_div_factor), 1, 1e12, false,
                                      "onecycle: final lr = initial lr / final_div_factor"));
    f.push_back(bool_option<Config>("schedule.cycle_momentum", LM_REF(schedule.cycle_momentum),
                                    "onecycle: cycle Adam beta1 inversely to the lr"));
    f.push_back(number_option<Config>("schedule.base_momentum", LM_REF(schedule.base_momentum), 0,
                                      1, true, "onecycle: lowest beta1"));
    f.push_back(number_option<Config>("schedule.max_momentum", LM_REF(schedule.max_momentum), 0, 1,
                                      true, "onecycle: highest beta1"));
}

void add_eval_and_run_fields(std::vector<Field>& f) {
    f.push_back(integer_option<Config>("eval.every", LM_REF(eval.every), 0, kMaxInt,
                                       "steps between validation runs; 0 = only at the end"));
    f.push_back(integer_option<Config>("eval.batches", LM_REF(eval.batches), 0, kMaxInt,
                                       "validation batches per run; 0 = the whole split"));
    f.push_back(integer_option<Config>("eval.batch_size", LM_REF(eval.batch_size), 0, 1 << 20,
                                       "evaluation batch size; 0 = train.batch_size"));
    f.push_back(bool_option<Config>("eval.test", LM_REF(eval.test),
                                    "evaluate the best checkpoint on the test split at the end"));
    f.push_back(integer_option<Config>("eval.best_after", LM_REF(eval.best_after), 0, kMaxInt,
                                       "keep a best checkpoint only from this step on"));
    f.push_back(string_option<Config>("run.dir", LM_REF(run.dir),
                                      "run directory; \"\" = runs/<config name>"));
    f.push_back(integer_option<Config>("run.seed", LM_REF(run.seed), 0, kMaxInt,
                                       "seed of init, dropout and data order"));
    Option<Config> dev{
        "run.device", "auto, cpu, cuda or cuda:N", "device to train on", false, nullptr, nullptr};
    dev.set = [](Config& c, const std::string& s) {
        if (s != "auto" && s != "cpu" && s != "cuda" && s.rfind("cuda:", 0) != 0) {
            throw_expected("auto, cpu, cuda or cuda:N", s);
        }
        c.run.device = s;
    };
    dev.get = [](const Config& c) { return c.run.device; };
    f.push_back(dev);
    f.push_back(integer_option<Config>("run.threads", LM_REF(run.threads), 0, 4096,
                                       "CPU threads; 0 = all cores"));
    f.push_back(
        choice_option<Config>("run.distributed", LM_REF(run.distributed), {"none", "mpi"},
                              "data-parallel training: mpi splits each batch between the ranks of "
                              "mpirun (docs/distributed.md)"));
    f.push_back(integer_option<Config>("run.log_every", LM_REF(run.log_every), 1, kMaxInt,
                                       "steps between log lines and train metrics records"));
    f.push_back(choice_option<Config>("run.progress", LM_REF(run.progress), {"auto", "bar", "log"},
                                      "progress bar on a terminal, plain log lines otherwise"));
}

#undef LM_REF

}  // namespace

const std::vector<Field>& config_fields() {
    static const std::vector<Field> fields = [] {
        std::vector<Field> f;
        add_task_fields(f);
        add_model_fields(f);
        add_attention_fields(f);
        add_train_fields(f);
        add_optimizer_fields(f);
        add_schedule_fields(f);
        add_eval_and_run_fields(f);
        return f;
    }();
    return fields;
}

const Field* find_field(const std::string& path) {
    for (const Field& f : config_fields()) {
        if (f.key == path) return &f;
    }
    return nullptr;
}

const std::vector<std::string>& config_sections() {
    static const std::vector<std::string> sections = {
        "task", "model", "model.attention", "train", "optimizer", "schedule", "eval", "run"};
    return sections;
}

}  // namespace lm::train
