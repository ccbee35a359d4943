// What a checkpoint holds beyond the tensors: the trainer's JSON sidecar (config, step, RNG
// and data positions, tokenizer, label map, best result), built from and restored into the
// live training objects.
#pragma once

#include <nlohmann/json.hpp>

#include "data/batch_stream.h"
#include "train/experiment.h"
#include "train/io/checkpoint.h"
#include "train/optim/optimizer.h"

namespace lm::train {

// 2: Nystrom landmarks per example by default (model.attention.landmark_mode); a version-1
// checkpoint was trained with the reference's landmarks (see uses_reference_landmarks).
inline constexpr int kCheckpointVersion = 2;

// Whether a model of this config, from a checkpoint of `version`, computes the reference's
// landmarks although its config does not say so (versions before 2 had no landmark_mode).
bool predates_landmark_mode(const Config& cfg, int64_t version);

struct Progression {
    int64_t step = 0;             // completed optimizer steps
    double best_accuracy = -1.0;  // best validation accuracy so far
    int64_t best_step = -1;
    int64_t tokens_seen = 0;
    int64_t skipped_batches = 0;
    double train_seconds = 0;  // time in training steps, summed over every resumed segment
    int64_t timed_tokens = 0;  // tokens of the steps train_seconds counts (for tokens/s)
    std::vector<std::string> warm_started;  // parameters loaded by train.init_from
};

CheckpointData make_checkpoint(const Experiment& ex,
                               const Optimizer& opt,
                               const data::StreamState& stream,
                               const Progression& prog);
// Restores model, optimizer, generators and returns the stream position and progression.
void restore_checkpoint(const CheckpointData& ck,
                        Experiment& ex,
                        Optimizer& opt,
                        data::StreamState* stream,
                        Progression* prog);
// The model part only (weights and buffers), for eval/predict.
nlohmann::json sidecar_of(const Experiment& ex);

}  // namespace lm::train
