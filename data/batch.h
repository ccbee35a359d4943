// Batching: epoch plans (shuffle, length buckets) and padded host batches with masks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/task.h"

namespace lm::data {

struct BatchOptions {
    int64_t batch_size = 32;
    bool shuffle = true;  // reshuffle every epoch from (seed, epoch)
    uint64_t seed = 0;
    // "fixed": every batch is max_length (+1 with CLS) rounded up to pad_multiple;
    // "longest": the longest sequence of the batch, rounded up the same way.
    std::string padding = "fixed";
    int64_t pad_multiple = 1;
    int64_t max_length = 0;         // 0 = the longest example of the dataset; longer ones throw
    bool bucket_by_length = false;  // sort windows of bucket_window batches by length
    int64_t bucket_window = 50;
    bool drop_last = false;    // drop the final partial batch of each epoch
    bool prepend_cls = false;  // put CLS (id 1) before each sequence
    int prefetch = 2;          // batches prepared ahead on a background thread; 0 = none
};

struct HostBatch {
    int64_t batch = 0, length = 0;
    std::vector<int32_t> ids;   // [batch * length], PAD = 0
    std::vector<float> mask;    // [batch * length], 1 = real token (CLS included)
    std::vector<int32_t> ids2;  // paired tasks: the second sequences
    std::vector<float> mask2;
    int64_t length2 = 0;
    std::vector<int32_t> labels;   // [batch]
    std::vector<int64_t> indices;  // [batch] positions of the examples in the dataset
    int64_t real_tokens = 0;       // sum of both masks
};

// Throws DataError for invalid options (batch size, padding mode, pad multiple, window).
void validate_batch_options(const BatchOptions& options);

// The batches of one epoch as lists of example indices. Deterministic in (options, epoch):
// a Fisher-Yates shuffle from stream (seed, epoch); with bucketing, windows of
// bucket_window * batch_size examples are stably sorted by length, cut into batches, and
// the batch order is shuffled. Every epoch has the same number of batches.
std::vector<std::vector<int64_t>> plan_epoch(const std::vector<int64_t>& lengths,
                                             const BatchOptions& options,
                                             uint64_t epoch);

// Number of batches per epoch (ceil, or floor with drop_last).
int64_t batches_per_epoch(int64_t examples, const BatchOptions& options);

// What every batch of a dataset shares: whether it is paired (any example has tokens2) and the
// padded lengths used with padding "fixed" (max_length or the longest example, plus CLS,
// rounded up to pad_multiple).
struct BatchShape {
    bool paired = false;
    int64_t fixed_length = 0;
    int64_t fixed_length2 = 0;
};
BatchShape batch_shape(const std::vector<Example>& examples, const BatchOptions& options);

// Pads the examples at `indices` into one batch. Throws DataError if an example is longer than
// options.max_length (when set).
HostBatch make_batch(const std::vector<Example>& examples,
                     const std::vector<int64_t>& indices,
                     const BatchOptions& options,
                     const BatchShape& shape);

}  // namespace lm::data
