#include "data/batch.h"

#include <algorithm>

#include "core/base/xoshiro.h"
#include "data/error.h"

namespace lm::data {

namespace {

int64_t round_up(int64_t value, int64_t multiple) {
    return (value + multiple - 1) / multiple * multiple;
}

// Writes one padded sequence into row `row` of ids/mask; returns its real token count.
int64_t fill_row(const std::vector<int32_t>& tokens,
                 bool cls,
                 int64_t row,
                 int64_t length,
                 std::vector<int32_t>& ids,
                 std::vector<float>& mask) {
    int32_t* id_row = ids.data() + row * length;
    float* mask_row = mask.data() + row * length;
    int64_t position = 0;
    if (cls) id_row[position++] = kClsId;
    for (int32_t token : tokens) {
        id_row[position++] = token;
    }
    std::fill(mask_row, mask_row + position, 1.0f);
    return position;
}

void check_length(const std::vector<Example>& examples,
                  int64_t index,
                  size_t length,
                  const BatchOptions& options) {
    if (options.max_length > 0 && static_cast<int64_t>(length) > options.max_length) {
        throw DataError("batch: example " + std::to_string(index) + " has " +
                        std::to_string(length) + " tokens, more than max_length " +
                        std::to_string(options.max_length) +
                        "; truncate it in the task (option max_length)");
    }
}

}  // namespace

void validate_batch_options(const BatchOptions& options) {
    if (options.batch_size < 1) {
        throw DataError("batch: expected batch_size >= 1, got " +
                        std::to_string(options.batch_size));
    }
    if (options.padding != "fixed" && options.padding != "longest") {
        throw DataError("batch: expected padding fixed or longest, got '" + options.padding + "'");
    }
    if (options.pad_multiple < 1) throw DataError("batch: expected pad_multiple >= 1");
    if (options.bucket_window < 1) throw DataError("batch: expected bucket_window >= 1");
    if (options.max_length < 0) throw DataError("batch: expected max_length >= 0");
    if (options.prefetch < 0) throw DataError("batch: expected prefetch >= 0");
}

int64_t batches_per_epoch(int64_t examples, const BatchOptions& options) {
    return options.drop_last ? examples / options.batch_size
                             : (examples + options.batch_size - 1) / options.batch_size;
}

std::vector<std::vector<int64_t>> plan_epoch(const std::vector<int64_t>& lengths,
                                             const BatchOptions& options,
                                             uint64_t epoch) {
    const auto n = static_cast<int64_t>(lengths.size());
    std::vector<int64_t> order(n);
    for (int64_t i = 0; i < n; ++i) {
        order[i] = i;
    }
    Rng rng(stream_seed(options.seed, "batch-order", 0, epoch));
    if (options.shuffle) shuffle_in_place(order, rng);
    if (options.bucket_by_length) {
        const int64_t window = options.bucket_window * options.batch_size;
        for (int64_t start = 0; start < n; start += window) {
            const auto end = order.begin() + std::min(n, start + window);
            std::stable_sort(order.begin() + start, end,
                             [&](int64_t a, int64_t b) { return lengths[a] < lengths[b]; });
        }
    }
    std::vector<std::vector<int64_t>> batches;
    for (int64_t start = 0; start < n; start += options.batch_size) {
        const int64_t end = std::min(n, start + options.batch_size);
        if (options.drop_last && end - start < options.batch_size) break;
        batches.emplace_back(order.begin() + start, order.begin() + end);
    }
    if (options.bucket_by_length && options.shuffle) shuffle_in_place(batches, rng);
    return batches;
}

BatchShape batch_shape(const std::vector<Example>& examples, const BatchOptions& options) {
    BatchShape shape;
    int64_t longest = 0, longest2 = 0;
    for (const auto& e : examples) {
        shape.paired = shape.paired || !e.tokens2.empty();
        longest = std::max<int64_t>(longest, e.tokens.size());
        longest2 = std::max<int64_t>(longest2, e.tokens2.size());
    }
    const int64_t cls = options.prepend_cls ? 1 : 0;
    if (options.max_length > 0) longest = longest2 = options.max_length;
    longest = std::max<int64_t>(longest, 1 - cls);
    longest2 = std::max<int64_t>(longest2, 1 - cls);
    shape.fixed_length = round_up(longest + cls, options.pad_multiple);
    shape.fixed_length2 = shape.paired ? round_up(longest2 + cls, options.pad_multiple) : 0;
    return shape;
}

HostBatch make_batch(const std::vector<Example>& examples,
                     const std::vector<int64_t>& indices,
                     const BatchOptions& options,
                     const BatchShape& shape) {
    const bool paired = shape.paired;
    const int64_t cls = options.prepend_cls ? 1 : 0;
    HostBatch batch;
    batch.batch = static_cast<int64_t>(indices.size());
    batch.indices = indices;
    int64_t longest = 0, longest2 = 0;
    for (int64_t index : indices) {
        const Example& e = examples[index];
        check_length(examples, index, e.tokens.size(), options);
        check_length(examples, index, e.tokens2.size(), options);
        longest = std::max<int64_t>(longest, e.tokens.size());
        longest2 = std::max<int64_t>(longest2, e.tokens2.size());
        batch.labels.push_back(e.label);
    }
    const bool fixed = options.padding == "fixed";
    // At least one position, so an all-empty batch still has a valid shape.
    longest = std::max<int64_t>(longest, 1 - cls);
    longest2 = std::max<int64_t>(longest2, 1 - cls);
    batch.length = fixed ? shape.fixed_length : round_up(longest + cls, options.pad_multiple);
    batch.ids.assign(batch.batch * batch.length, kPadId);
    batch.mask.assign(batch.ids.size(), 0.0f);
    if (paired) {
        batch.length2 =
            fixed ? shape.fixed_length2 : round_up(longest2 + cls, options.pad_multiple);
        batch.ids2.assign(batch.batch * batch.length2, kPadId);
        batch.mask2.assign(batch.ids2.size(), 0.0f);
    }
    for (int64_t row = 0; row < batch.batch; ++row) {
        const Example& e = examples[indices[row]];
        batch.real_tokens += fill_row(e.tokens, cls, row, batch.length, batch.ids, batch.mask);
        if (paired) {
            batch.real_tokens +=
                fill_row(e.tokens2, cls, row, batch.length2, batch.ids2, batch.mask2);
        }
    }
    return batch;
}

}  // namespace lm::data
