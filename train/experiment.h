// An experiment built from a config: the task and its splits, the model sized from the task,
// the generators, the device, and the batch options of training and evaluation.
#pragma once

#include <memory>

#include "core/base/rng.h"
#include "data/batch.h"
#include "data/task.h"
#include "models/model.h"
#include "train/batch_tensors.h"
#include "train/config.h"

namespace lm::train {

struct Experiment {
    Config cfg;  // resolved: model sizes filled in from the task
    std::unique_ptr<data::Task> task;
    data::TaskInfo info;
    std::shared_ptr<models::Model> model;
    // Heap-allocated so the model's modules can keep pointers while the Experiment moves.
    std::unique_ptr<Generator> init_gen;     // parameter init (seeded from run.seed)
    std::unique_ptr<Generator> dropout_gen;  // dropout masks, random features; checkpointed
    Device device;
};

// "auto" picks cuda when a device exists; asking for cuda without one is an error.
Device resolve_device(const std::string& spec);
// Fills model.encoder.{vocab_size, max_len}, model.num_classes and checks model/task agreement.
void resolve_model_config(Config& cfg, const data::TaskInfo& info);
data::BatchOptions train_batch_options(const Config& cfg, const data::TaskInfo& info);
data::BatchOptions eval_batch_options(const Config& cfg, const data::TaskInfo& info);
// The masking of a masked_lm run (train.mlm_probability, the task's MASK id, run.seed); none
// for other models.
BatchMasking batch_masking(const Config& cfg, const data::TaskInfo& info);
// Builds everything; the model is on `device`, in training mode, freshly initialised. With
// train.init_from, the tokenizer must be that run's and its vocabulary is kept; `resuming` names
// the run directory being resumed, whose own checkpoint then gives the vocabulary (so a resumed
// fine-tuning run does not need its pre-training run any more).
Experiment build_experiment(Config cfg, const std::string& resuming = "");

}  // namespace lm::train
