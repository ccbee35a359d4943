// The architecture a checkpoint's weights belong to: every model.* config key except the
// dropout rates, stored as JSON in the __metadata__ of model.safetensors. Loading checks the
// tensors (names, shapes, dtypes) and then the signature, so weights of another shape or of
// another attention type fail with the tensors and keys that differ, even when the parameter
// sets happen to coincide (e.g. softmax and nystrom with conv_kernel 0).
#pragma once

#include <map>
#include <string>

#include "layers/module.h"
#include "train/config.h"
#include "train/io/checkpoint.h"

namespace lm::train {

inline constexpr const char* kModelSignatureKey = "landmark.model";

// {"model.attention.type": "nystrom", "model.dim": "32", ...} as compact JSON.
std::string model_signature(const Config& cfg);

// "model.attention.type is softmax in the checkpoint but nystrom in the config; ..." for every
// key that differs; "" when none does or the metadata holds no signature (older checkpoints).
// A malformed signature is an error naming `source`.
std::string signature_mismatch(const std::map<std::string, std::string>& metadata,
                               const Config& cfg,
                               const std::string& source);

// load_into_module plus the signature check: errors name `source`, the tensors and the keys.
void load_model_weights(nn::Module& module,
                        const CheckpointData& ck,
                        const Config& cfg,
                        const std::string& source);

}  // namespace lm::train
