// Masked-language-model inputs, BERT's recipe: in every sequence, round(mask_prob * L) of its L
// real tokens (at least one when L > 0; never PAD or CLS) are chosen uniformly without
// replacement; a chosen token becomes MASK with probability mask_replace (0.8), a random real
// token with probability random_replace (0.1), and stays itself otherwise. The loss is taken at
// the chosen positions only.
#pragma once

#include <cstdint>
#include <vector>

#include "data/batch.h"

namespace lm::data {

// Targets at positions that are not predicted (PyTorch's cross-entropy ignore_index).
constexpr int32_t kIgnoreTarget = -100;

struct MlmMaskOptions {
    double mask_prob = 0.15;
    double mask_replace = 0.8;
    double random_replace = 0.1;
    int32_t mask_id = -1;  // TaskInfo::mask_id; random tokens are drawn from [2, mask_id)
};

struct MlmTargets {
    std::vector<int32_t> labels;  // [batch * length]: the original id where chosen, else -100
    int64_t chosen = 0;           // positions with a target
};

// Throws DataError unless 0 < mask_prob <= 1, the two replacement shares are in [0, 1] with a
// sum <= 1, and mask_id leaves at least one real token id (mask_id > 2).
void validate_mlm_options(const MlmMaskOptions& options);

// Masks batch.ids in place and returns the targets. Each row draws from its own stream, a hash
// of (seed, stream, batch.indices[row]): the same example gets the same mask at the same stream
// (the training step, or a fixed stream for evaluation) in any batch, on any rank, and after
// --resume. Throws DataError when the batch holds no real token to mask.
MlmTargets apply_mlm_masking(HostBatch& batch,
                             const MlmMaskOptions& options,
                             uint64_t seed,
                             uint64_t stream);

}  // namespace lm::data
