#include "train/train_state.h"

#include "train/config.h"

namespace lm::train {

nlohmann::json sidecar_of(const Experiment& ex) {
    nlohmann::json j;
    j["format"] = "landmark-checkpoint";
    j["version"] = kCheckpointVersion;
    j["config"] = dump_config(ex.cfg);
    j["task"] = {{"name", ex.info.name},
                 {"vocab_size", ex.info.vocab_size},
                 {"num_classes", ex.info.num_classes},
                 {"max_length", ex.info.max_length},
                 {"paired", ex.info.paired},
                 {"class_names", ex.info.class_names},
                 {"image_width", ex.info.image_width},
                 {"image_height", ex.info.image_height}};
    j["tokenizer"] = ex.task->tokenizer().to_json();
    j["label_map"] = ex.task->label_map_json();
    j["parameters"] = ex.model->num_parameters();
    return j;
}

CheckpointData make_checkpoint(const Experiment& ex, const Optimizer& opt,
                               const data::StreamState& stream, const Progression& prog) {
    CheckpointData ck;
    ck.model = ex.model->named_parameters();
    for (auto& b : ex.model->named_buffers()) ck.model.push_back(b);
    ck.optimizer = opt.state();
    ck.trainer = sidecar_of(ex);
    const GeneratorState g = ex.dropout_gen->state();
    ck.trainer["step"] = prog.step;
    ck.trainer["rng"] = {{"dropout", {{"seed", g.seed}, {"offset", g.offset}}}};
    ck.trainer["data"] = {{"epoch", stream.epoch}, {"position", stream.position}};
    ck.trainer["best"] = {{"accuracy", prog.best_accuracy}, {"step", prog.best_step}};
    ck.trainer["tokens_seen"] = prog.tokens_seen;
    ck.trainer["skipped_batches"] = prog.skipped_batches;
    return ck;
}

void restore_checkpoint(const CheckpointData& ck, Experiment& ex, Optimizer& opt,
                        data::StreamState* stream, Progression* prog) {
    const nlohmann::json& j = ck.trainer;
    try {
        LM_CHECK(j.at("format") == "landmark-checkpoint", "not a landmark checkpoint");
        LM_CHECK(j.at("version").get<int>() <= kCheckpointVersion, "checkpoint version ",
                 j.at("version").get<int>(), " is newer than this build supports");
        load_into_module(*ex.model, ck.model, "model.safetensors");
        opt.load_state(ck.optimizer);
        ex.dropout_gen->set_state({j.at("rng").at("dropout").at("seed").get<uint64_t>(),
                                   j.at("rng").at("dropout").at("offset").get<uint64_t>()});
        stream->epoch = j.at("data").at("epoch").get<uint64_t>();
        stream->position = j.at("data").at("position").get<uint64_t>();
        prog->step = j.at("step").get<int64_t>();
        prog->best_accuracy = j.at("best").at("accuracy").get<double>();
        prog->best_step = j.at("best").at("step").get<int64_t>();
        prog->tokens_seen = j.at("tokens_seen").get<int64_t>();
        prog->skipped_batches = j.value("skipped_batches", int64_t{0});
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("trainer.json: missing or malformed field (") + e.what() + ")");
    }
}

}  // namespace lm::train
