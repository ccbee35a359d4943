// Gradient buckets reduced across ranks while backward runs (what PyTorch DDP does).
//
// Parameters are grouped, in reverse registration order (roughly the order backward completes
// them), into flat buckets of about `bucket_bytes`. During the armed backward pass a grad-ready
// hook counts each bucket's finished gradients; a complete bucket is packed and its
// non-blocking sum-allreduce started, so reductions of late layers overlap the backward of
// early ones. Buckets start strictly in index order (MPI needs the same collective order on
// every rank). finish() starts what is left, waits, and writes the sums back into .grad.
//
// Each bucket also carries one presence flag per parameter, so a parameter that got no
// gradient on any rank keeps an undefined .grad, as in a single process.
#pragma once

#include <unordered_map>
#include <vector>

#include "core/tensor/tensor.h"
#include "train/dist/communicator.h"

namespace lm::train::dist {

class GradBuckets {
  public:
    GradBuckets(Communicator& comm, std::vector<Tensor> params, int64_t bucket_bytes = 2 << 20);

    // The hook for the coming backward pass; install it with GradReadyHookScope.
    void on_grad_ready(const TensorImpl& leaf);
    // Starts the remaining buckets, waits for all, and stores the summed gradients.
    void finish();
    int64_t num_buckets() const { return static_cast<int64_t>(buckets_.size()); }

  private:
    struct Bucket {
        std::vector<int> params;  // indices into params_
        int64_t numel = 0;        // gradient elements (the flags follow them)
        int pending = 0;          // gradients not yet complete in this pass
        bool started = false;
        int handle = -1;
        Tensor flat;  // numel + params.size() floats on the communicator's buffer device
    };

    void start_ready_buckets();
    void start(Bucket& b);
    void unpack(Bucket& b);

    Communicator& comm_;
    std::vector<Tensor> params_;
    std::vector<Bucket> buckets_;
    std::vector<int> bucket_of_;
    std::unordered_map<const TensorImpl*, int> index_of_;
    size_t next_ = 0;  // first bucket not started
};

}  // namespace lm::train::dist
