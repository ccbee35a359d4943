// Host batches from the data pipeline turned into tensors on the model's device.
#pragma once

#include "data/batch.h"
#include "models/model.h"

namespace lm::train {

struct DeviceBatch {
    models::Inputs inputs;
    Tensor labels;  // int64 [B]
    int64_t real_tokens = 0;
    int64_t size = 0;
};

DeviceBatch to_device(const data::HostBatch& batch,
                      Device device,
                      DType mask_dtype = DType::Float32);

}  // namespace lm::train
