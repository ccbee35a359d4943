#include "train/inference.h"

#include <filesystem>

#include "data/text_encoding.h"
#include "train/experiment.h"
#include "train/io/checkpoint.h"
#include "train/io/model_signature.h"
#include "train/io/sidecar.h"

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

}  // namespace

LoadedRun load_run(const std::string& path, const std::string& device, bool prefer_best) {
    LoadedRun run;
    run.checkpoint_dir = pick_checkpoint(path, prefer_best);
    CheckpointData ck = CheckpointStore::load(run.checkpoint_dir);
    run.trainer = ck.trainer;
    Sidecar sidecar = parse_sidecar(ck.trainer, run.checkpoint_dir + "/trainer.json");
    run.cfg = std::move(sidecar.cfg);
    run.info = std::move(sidecar.info);
    run.tokenizer = std::move(sidecar.tokenizer);
    run.labels = std::move(sidecar.labels);
    run.device = resolve_device(device);
    run.init_gen = std::make_unique<Generator>(run.cfg.run.seed);
    run.dropout_gen = std::make_unique<Generator>(run.cfg.run.seed);
    run.model = models::make_model(run.cfg.model, *run.init_gen, *run.dropout_gen);
    load_model_weights(*run.model, ck, run.cfg, run.checkpoint_dir + "/model.safetensors");
    run.model->to(run.device);
    run.model->eval();
    return run;
}

std::vector<int32_t> encode_input(const LoadedRun& run, std::string_view text) {
    return data::encode_text(*run.tokenizer, text, run.info.max_length,
                             data::parse_truncation(run.cfg.task.truncation));
}

}  // namespace lm::train
