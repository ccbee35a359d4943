// Checkpoints of a run, crash-safe on disk:
//
//   RUN_DIR/checkpoints/step-00001000/{model,optimizer}.safetensors, trainer.json
//   RUN_DIR/checkpoints/latest        text file naming the newest step directory
//   RUN_DIR/checkpoints/best/         the best checkpoint (best.old while it is replaced)
//
// A checkpoint is written into a temporary directory, every file and the directory are fsynced,
// and only then is it renamed into place and `latest` atomically replaced. Older step
// checkpoints are pruned only after the new one is complete, so a crash at any moment leaves
// the previous good checkpoint loadable. One thread uses a store at a time.
//
// Fault injection for crash tests: LANDMARK_FAULT_INJECT=<point>[@<n>] kills the process with
// SIGKILL the n-th time (default: the first) it reaches <point> (train/fault_inject.h lists the
// points, e.g. checkpoint_after_model: the model file of a step checkpoint is written, the rest
// is not).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/module.h"
#include "train/io/module_state.h"

namespace lm::train {

struct CheckpointData {
    nn::NamedTensors model;      // parameters and persistent buffers (module_state())
    nn::NamedTensors optimizer;  // Optimizer::state()
    nlohmann::json trainer;      // config, step, RNG states, data position, metrics, ...
    // Extra __metadata__ of model.safetensors (e.g. the model signature, model_signature.h).
    std::map<std::string, std::string> model_metadata;
};

class CheckpointStore {
  public:
    // keep_last: step checkpoints kept (newest by step number); 0 keeps all.
    explicit CheckpointStore(std::string run_dir, int keep_last = 2);

    // Writes step-<8 digits>/ (replacing one of the same step), points `latest` at it, prunes
    // older ones and stale temporaries; returns the directory.
    std::string save(int64_t step, const CheckpointData& data);
    // Replaces best/ so that a complete best (or best.old) exists on disk at every moment.
    void save_best(const CheckpointData& data);

    // The directory `latest` names, or (when it is missing or names no checkpoint) the newest
    // step directory on disk; nullopt when there is none.
    std::optional<std::string> latest() const;
    // best/, or best.old/ when a crash interrupted its replacement; nullopt when neither exists.
    std::optional<std::string> best() const;
    // Step numbers of the step checkpoints on disk, ascending.
    std::vector<int64_t> steps() const;
    const std::string& checkpoints_dir() const { return dir_; }

    // The checkpoint directory `path` names: itself when it holds trainer.json, else the run
    // directory's best checkpoint (when prefer_best and there is one) or its latest. Errors name
    // the path.
    static std::string resolve(const std::string& path, bool prefer_best);
    // Loads a checkpoint directory, or a run directory's (or checkpoints directory's) latest
    // checkpoint. Errors name the file.
    static CheckpointData load(const std::string& checkpoint_dir_or_run_dir);
    static std::string step_dir_name(int64_t step);  // "step-00001000"

  private:
    void prune(const std::string& keep) const;

    std::string run_dir_, dir_;
    int keep_last_;
};

}  // namespace lm::train
