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
    return out;
}

}  // namespace lm::train
