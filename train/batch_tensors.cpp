#include "train/batch_tensors.h"

#include "core/tensor/factory.h"

namespace lm::train {

DeviceBatch to_device(const data::HostBatch& b, Device device, DType mask_dtype) {
    DeviceBatch out;
    const TensorOptions ids_opts{DType::Int32, device};
    const TensorOptions mask_opts{mask_dtype, device};
    out.inputs.ids = from_vector(b.ids, {b.batch, b.length}, ids_opts);
    out.inputs.mask = from_vector(b.mask, {b.batch, b.length}, mask_opts);
    if (!b.ids2.empty()) {
        out.inputs.ids2 = from_vector(b.ids2, {b.batch, b.length2}, ids_opts);
        out.inputs.mask2 = from_vector(b.mask2, {b.batch, b.length2}, mask_opts);
    }
    std::vector<int64_t> labels(b.labels.begin(), b.labels.end());
    out.labels = from_vector(labels, {b.batch}, {DType::Int64, device});
    out.real_tokens = b.real_tokens;
    out.size = b.batch;
    out.targets = b.batch;
    return out;
}

DeviceBatch model_batch(const data::HostBatch& batch,
                        const BatchMasking& masking,
                        uint64_t stream,
                        Device device) {
    if (!masking.mlm) return to_device(batch, device);
    return to_device_masked(batch, *masking.mlm, masking.seed, stream, device);
}

DeviceBatch to_device_masked(data::HostBatch batch,
                             const data::MlmMaskOptions& options,
                             uint64_t seed,
                             uint64_t stream,
                             Device device) {
    const data::MlmTargets targets = data::apply_mlm_masking(batch, options, seed, stream);
    DeviceBatch out = to_device(batch, device);
    std::vector<int64_t> positions, labels;
    for (size_t i = 0; i < targets.labels.size(); ++i) {
        if (targets.labels[i] == data::kIgnoreTarget) continue;
        positions.push_back(static_cast<int64_t>(i));
        labels.push_back(targets.labels[i]);
    }
    const auto k = static_cast<int64_t>(positions.size());
    out.inputs.positions = from_vector(positions, {k}, {DType::Int64, device});
    out.labels = from_vector(labels, {k}, {DType::Int64, device});
    out.targets = k;
    return out;
}

}  // namespace lm::train
