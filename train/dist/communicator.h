// Collective communication between the processes of a data-parallel run.
//
// world() is the process group (MPI when run.distributed=mpi, a single local process
// otherwise); it carries small host messages (loss sums, flags, initial weights). Gradient
// buckets go through gradient_communicator(): NCCL on CUDA devices when built with it, else
// the world communicator itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/tensor/device.h"

namespace lm::train::dist {

class Communicator {
  public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual int local_rank() const { return rank(); }  // rank among the processes of this host
    virtual const char* name() const = 0;

    // Where the buffers of start_allreduce_sum must live: host memory, or the training device.
    virtual Device buffer_device(Device train_device) const { return Device::cpu(); }
    // Starts an in-place sum over all ranks of n floats; returns a handle for wait().
    virtual int start_allreduce_sum(float* data, int64_t n) = 0;
    virtual void wait(int handle) = 0;
    // Lets outstanding reductions progress (MPI moves data only inside MPI calls).
    virtual void poll() {}

    // Blocking collectives on host memory.
    virtual void allreduce_sum(double* data, int64_t n) = 0;
    virtual void broadcast(float* data, int64_t n, int root) = 0;
    virtual void barrier() = 0;

    // Host-memory convenience built on the above.
    void allreduce_mean(float* data, int64_t n);
    bool any(bool flag);  // true on every rank when it is true on some rank
};

// The process group for run.distributed ("none" or "mpi"), created on first use and kept for
// the life of the process. Throws ConfigError when "mpi" is asked of a build without MPI.
Communicator& world(const std::string& kind);
// True once world("mpi") was created in a run of more than one process.
bool multi_process();
// Ends every rank with `code` (MPI_Abort) so that no rank waits forever on one that failed;
// returns when there is no multi-process group.
void abort_all(int code);

// The communicator for gradient buckets on `device` (NCCL for CUDA when available).
Communicator& gradient_communicator(Communicator& world, Device device);

}  // namespace lm::train::dist
