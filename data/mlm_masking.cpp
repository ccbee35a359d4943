#include "data/mlm_masking.h"

#include <cmath>
#include <string>
#include <utility>

#include "core/base/xoshiro.h"
#include "data/error.h"

namespace lm::data {

void validate_mlm_options(const MlmMaskOptions& o) {
    if (!(o.mask_prob > 0.0 && o.mask_prob <= 1.0)) {
        throw DataError("masked LM: expected mask_prob in (0, 1], got " +
                        std::to_string(o.mask_prob));
    }
    const bool shares_ok = o.mask_replace >= 0.0 && o.random_replace >= 0.0 &&
                           o.mask_replace + o.random_replace <= 1.0 + 1e-12;
    if (!shares_ok) {
        throw DataError(
            "masked LM: expected mask_replace and random_replace in [0, 1] with a "
            "sum of at most 1, got " +
            std::to_string(o.mask_replace) + " and " + std::to_string(o.random_replace));
    }
    if (o.mask_id <= kFirstTokenId) {
        throw DataError("masked LM: the task has no MASK token (mask_id " +
                        std::to_string(o.mask_id) + "); masked-LM training needs a corpus task");
    }
}

namespace {

// Masks one row of `length` ids (mask > 0 and id >= 2 are real tokens); returns how many were
// chosen.
int64_t mask_row(int32_t* ids,
                 const float* mask,
                 int32_t* labels,
                 int64_t length,
                 const MlmMaskOptions& o,
                 Rng& rng) {
    std::vector<int64_t> real;
    for (int64_t i = 0; i < length; ++i) {
        if (mask[i] > 0.0f && ids[i] >= kFirstTokenId) real.push_back(i);
    }
    if (real.empty()) return 0;
    const auto n = static_cast<int64_t>(real.size());
    const int64_t k =
        std::min(n, std::max<int64_t>(1, std::llround(o.mask_prob * static_cast<double>(n))));
    for (int64_t j = 0; j < k; ++j) {  // partial Fisher-Yates: real[0, k) is a uniform k-subset
        std::swap(real[j], real[j + static_cast<int64_t>(rng.below(n - j))]);
        const int64_t pos = real[j];
        labels[pos] = ids[pos];
        const double u = rng.uniform01();
        if (u < o.mask_replace) {
            ids[pos] = o.mask_id;
        } else if (u < o.mask_replace + o.random_replace) {
            ids[pos] = static_cast<int32_t>(rng.uniform_int(kFirstTokenId, o.mask_id - 1));
        }
    }
    return k;
}

}  // namespace

MlmTargets apply_mlm_masking(HostBatch& batch,
                             const MlmMaskOptions& options,
                             uint64_t seed,
                             uint64_t stream) {
    validate_mlm_options(options);
    MlmTargets targets;
    targets.labels.assign(batch.ids.size(), kIgnoreTarget);
    for (int64_t b = 0; b < batch.batch; ++b) {
        const auto index = static_cast<uint64_t>(batch.indices.at(b));
        Rng rng(stream_seed(seed, "mlm-mask", stream, index));
        const int64_t offset = b * batch.length;
        targets.chosen += mask_row(batch.ids.data() + offset, batch.mask.data() + offset,
                                   targets.labels.data() + offset, batch.length, options, rng);
    }
    if (targets.chosen == 0) {
        throw DataError("masked LM: a batch of " + std::to_string(batch.batch) +
                        " sequences has no real token to mask (every sequence is empty)");
    }
    return targets;
}

}  // namespace lm::data
