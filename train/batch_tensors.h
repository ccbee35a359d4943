// Host batches from the data pipeline turned into tensors on the model's device.
#pragma once

#include <optional>

#include "data/batch.h"
#include "data/mlm_masking.h"
#include "models/model.h"

namespace lm::train {

struct DeviceBatch {
    models::Inputs inputs;
    Tensor labels;  // int64 [B] (masked LM: [K], the original ids at inputs.positions)
    int64_t real_tokens = 0;
    int64_t size = 0;
    int64_t targets = 0;  // rows of labels: the examples, or the predicted tokens
};

DeviceBatch to_device(const data::HostBatch& batch,
                      Device device,
                      DType mask_dtype = DType::Float32);

// A masked-LM batch: `batch` masked as data/mlm_masking.h describes (its rows' streams keyed by
// seed, stream and example index), with inputs.positions the flat indices of the predicted
// tokens and labels their original ids.
DeviceBatch to_device_masked(data::HostBatch batch,
                             const data::MlmMaskOptions& options,
                             uint64_t seed,
                             uint64_t stream,
                             Device device);

// How a run's batches become model inputs: as they are, or masked for a masked LM.
struct BatchMasking {
    std::optional<data::MlmMaskOptions> mlm;  // set for model.type=masked_lm
    uint64_t seed = 0;                        // run.seed
};
// Evaluation masks every split with this stream, so each evaluation sees the same masks.
constexpr uint64_t kEvalMaskStream = ~uint64_t{0};

// to_device, or to_device_masked with `stream` (the step) when masking.mlm is set.
DeviceBatch model_batch(const data::HostBatch& batch,
                        const BatchMasking& masking,
                        uint64_t stream,
                        Device device);

}  // namespace lm::train
