#include "train/io/train_state.h"

#include <cstdint>

#include "core/build_info.h"
#include "train/config.h"
#include "train/io/model_signature.h"

namespace lm::train {

bool predates_landmark_mode(const Config& cfg, int64_t version) {
    const auto& a = cfg.model.encoder.attention;
    return version < 2 && (a.type == "nystrom" || a.type == "spectral_shift") &&
           a.landmark_mode != "reference";
}

nlohmann::json sidecar_of(const Experiment& ex) {
    nlohmann::json j;
    j["format"] = "landmark-checkpoint";
    j["version"] = kCheckpointVersion;
    j["landmark_version"] = version_string();  // the build that wrote it
    j["config"] = dump_config(ex.cfg);
    j["task"] = {{"name", ex.info.name},
                 {"vocab_size", ex.info.vocab_size},
                 {"num_classes", ex.info.num_classes},
                 {"max_length", ex.info.max_length},
                 {"paired", ex.info.paired},
                 {"class_names", ex.info.class_names},
                 {"image_width", ex.info.image_width},
                 {"image_height", ex.info.image_height},
                 {"mask_id", ex.info.mask_id}};
    j["tokenizer"] = ex.task->tokenizer().to_json();
    j["label_map"] = ex.task->label_map_json();
    j["parameters"] = ex.model->num_parameters();
    return j;
}

CheckpointData make_checkpoint(const Experiment& ex,
                               const Optimizer& opt,
                               const data::StreamState& stream,
                               const Progression& prog) {
    CheckpointData ck;
    ck.model = ex.model->named_parameters();
    for (auto& b : ex.model->named_buffers())
        ck.model.push_back(b);
    ck.optimizer = opt.state();
    ck.trainer = sidecar_of(ex);
    ck.model_metadata[kModelSignatureKey] = model_signature(ex.cfg);
    const GeneratorState g = ex.dropout_gen->state();
    ck.trainer["step"] = prog.step;
    ck.trainer["rng"] = {{"dropout", {{"seed", g.seed}, {"offset", g.offset}}}};
    ck.trainer["data"] = {{"epoch", stream.epoch}, {"position", stream.position}};
    ck.trainer["best"] = {{"accuracy", prog.best_accuracy}, {"step", prog.best_step}};
    ck.trainer["tokens_seen"] = prog.tokens_seen;
    ck.trainer["skipped_batches"] = prog.skipped_batches;
    ck.trainer["timing"] = {{"train_seconds", prog.train_seconds}, {"tokens", prog.timed_tokens}};
    if (!prog.warm_started.empty()) ck.trainer["warm_start"] = {{"loaded", prog.warm_started}};
    return ck;
}

namespace {
// A non-negative integer field (a negative or fractional number would wrap or be truncated).
uint64_t count_at(const nlohmann::json& v, const char* name) {
    LM_CHECK(v.is_number_unsigned(), "trainer.json: field '", name,
             "' must be a non-negative integer, got ",
             v.is_structured() ? std::string(v.type_name()) : v.dump());
    return v.get<uint64_t>();
}

int64_t step_at(const nlohmann::json& v, const char* name, bool allow_minus_one) {
    if (allow_minus_one && v.is_number_integer() && v.get<int64_t>() == -1) return -1;
    const uint64_t n = count_at(v, name);
    LM_CHECK(n <= static_cast<uint64_t>(INT64_MAX), "trainer.json: field '", name,
             "' is out of range");
    return static_cast<int64_t>(n);
}
}  // namespace

void restore_checkpoint(const CheckpointData& ck,
                        Experiment& ex,
                        Optimizer& opt,
                        data::StreamState* stream,
                        Progression* prog) {
    const nlohmann::json& j = ck.trainer;
    try {
        LM_CHECK(j.at("format") == "landmark-checkpoint", "not a landmark checkpoint");
        const int64_t version = step_at(j.at("version"), "version", false);
        LM_CHECK(version <= kCheckpointVersion, "checkpoint version ", version,
                 " is newer than this build supports");
        LM_CHECK(!predates_landmark_mode(ex.cfg, version), "checkpoint version ", version,
                 " was trained with the reference's Nystrom landmarks; resume it with --set "
                 "model.attention.landmark_mode=reference");
        load_model_weights(*ex.model, ck, ex.cfg, "model.safetensors");
        opt.load_state(ck.optimizer);
        const nlohmann::json& g = j.at("rng").at("dropout");
        ex.dropout_gen->set_state({count_at(g.at("seed"), "rng.dropout.seed"),
                                   count_at(g.at("offset"), "rng.dropout.offset")});
        stream->epoch = count_at(j.at("data").at("epoch"), "data.epoch");
        stream->position = count_at(j.at("data").at("position"), "data.position");
        prog->step = step_at(j.at("step"), "step", false);
        const nlohmann::json& acc = j.at("best").at("accuracy");
        LM_CHECK(acc.is_number(), "trainer.json: field 'best.accuracy' must be a number");
        prog->best_accuracy = acc.get<double>();
        prog->best_step = step_at(j.at("best").at("step"), "best.step", true);
        prog->tokens_seen = step_at(j.at("tokens_seen"), "tokens_seen", false);
        if (j.contains("skipped_batches")) {
            prog->skipped_batches = step_at(j.at("skipped_batches"), "skipped_batches", false);
        }
        if (j.contains("timing")) {  // absent before checkpoints summed time over resumes
            const nlohmann::json& seconds = j.at("timing").at("train_seconds");
            LM_CHECK(seconds.is_number() && seconds.get<double>() >= 0,
                     "trainer.json: field 'timing.train_seconds' must be a non-negative number");
            prog->train_seconds = seconds.get<double>();
            prog->timed_tokens = step_at(j.at("timing").at("tokens"), "timing.tokens", false);
        }
        if (j.contains("warm_start")) {
            prog->warm_started = j.at("warm_start").at("loaded").get<std::vector<std::string>>();
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("trainer.json: missing or malformed field (") + e.what() + ")");
    }
}

}  // namespace lm::train
