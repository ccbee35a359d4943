#include "train/inference.h"

#include "data/text_encoding.h"
#include "train/experiment.h"
#include "train/io/checkpoint.h"
#include "train/io/model_signature.h"
#include "train/io/sidecar.h"

namespace lm::train {

LoadedRun load_run(const std::string& path, const std::string& device, bool prefer_best) {
    LoadedRun run;
    run.checkpoint_dir = CheckpointStore::resolve(path, prefer_best);
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
