// Splitting every global batch between ranks, and the checks and set-up around it.
#pragma once

#include <vector>

#include "core/tensor/tensor.h"
#include "data/batch.h"
#include "train/config.h"
#include "train/dist/communicator.h"

namespace lm::train::dist {

// Rank `rank` of `size` takes rows [rank*batch/size, (rank+1)*batch/size) of a batch of
// `batch` examples (a final partial batch of an epoch may leave a rank with none).
struct RowRange {
    int64_t begin = 0, end = 0;
};
RowRange shard_rows(int64_t batch, int rank, int size);

// The rows of `hb` for this rank, padded to the global batch's length (so that attention over
// the padded length sees the same shapes as in one process).
data::HostBatch shard_batch(const data::HostBatch& hb, int rank, int size);

// train.batch_size must split evenly into grad_accum micro-batches of `size` equal shards.
void check_batch_divides(const Config& cfg, int size);

// The device a rank trains on: with "auto" or "cuda" and GPUs present, one GPU per rank of a
// host (local_rank modulo the GPU count); otherwise `spec` itself.
std::string device_for_rank(const std::string& spec, int local_rank);

// Copies rank 0's parameter values to every rank (one broadcast of all parameters).
void broadcast_parameters(Communicator& comm, const std::vector<Tensor>& params);

}  // namespace lm::train::dist
