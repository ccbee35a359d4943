#include "train/inference.h"

#include <filesystem>

#include "train/checkpoint.h"
#include "train/experiment.h"

namespace lm::train {

namespace fs = std::filesystem;

namespace {

std::string pick_checkpoint(const std::string& path, bool prefer_best) {
    if (fs::exists(fs::path(path) / "trainer.json")) return path;  // a checkpoint directory
    LM_CHECK(fs::is_directory(path), path, ": no such run or checkpoint directory");
    CheckpointStore store(path);
    if (prefer_best) {
        if (auto best = store.best()) return *best;
    }
    auto latest = store.latest();
    LM_CHECK(latest.has_value(), path, ": no checkpoint found (expected ", path,
             "/checkpoints/latest or a directory holding trainer.json)");
    return *latest;
}

data::TaskInfo task_info_from(const nlohmann::json& t) {
    data::TaskInfo info;
    info.name = t.at("name").get<std::string>();
    info.vocab_size = t.at("vocab_size").get<int64_t>();
    info.num_classes = t.at("num_classes").get<int64_t>();
    info.max_length = t.at("max_length").get<int64_t>();
    info.paired = t.at("paired").get<bool>();
    info.class_names = t.at("class_names").get<std::vector<std::string>>();
    info.image_width = t.value("image_width", int64_t{0});
    info.image_height = t.value("image_height", int64_t{0});
    return info;
}

}  // namespace

LoadedRun load_run(const std::string& path, const std::string& device, bool prefer_best) {
    LoadedRun run;
    run.checkpoint_dir = pick_checkpoint(path, prefer_best);
    CheckpointData ck = CheckpointStore::load(run.checkpoint_dir);
    run.trainer = ck.trainer;
    try {
        run.cfg = parse_config(ck.trainer.at("config").get<std::string>(),
                               run.checkpoint_dir + "/trainer.json");
        run.info = task_info_from(ck.trainer.at("task"));
        run.tokenizer = data::tokenizer_from_json(ck.trainer.at("tokenizer"));
        run.labels = data::LabelMap::from_json(ck.trainer.at("label_map"));
    } catch (const nlohmann::json::exception& e) {
        throw Error(run.checkpoint_dir + "/trainer.json: missing or malformed field (" + e.what() + ")");
    }
    resolve_model_config(run.cfg, run.info);
    run.device = resolve_device(device);
    run.init_gen = std::make_unique<Generator>(run.cfg.run.seed);
    run.dropout_gen = std::make_unique<Generator>(run.cfg.run.seed);
    run.model = models::make_model(run.cfg.model, *run.init_gen, *run.dropout_gen);
    load_into_module(*run.model, ck.model, run.checkpoint_dir + "/model.safetensors");
    run.model->to(run.device);
    run.model->eval();
    return run;
}

}  // namespace lm::train
