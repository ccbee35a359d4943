// The NCCL backend for gradient buckets on CUDA devices, bootstrapped over the MPI world.
// Compiled only with the CUDA backend and libnccl; untested without GPUs.
#include <cuda_runtime.h>
#include <nccl.h>

#include <cstring>
#include <vector>

#include "core/base/check.h"
#include "train/dist/backends.h"

namespace lm::train::dist {

namespace {

void check_nccl(ncclResult_t rc, const char* what) {
    LM_CHECK(rc == ncclSuccess, what, " failed: ", ncclGetErrorString(rc));
}

void check_cuda(cudaError_t rc, const char* what) {
    LM_CHECK(rc == cudaSuccess, what, " failed: ", cudaGetErrorString(rc));
}

class NcclCommunicator final : public Communicator {
  public:
    NcclCommunicator(Communicator& world, Device device) : world_(world), device_(device) {
        ncclUniqueId id;
        if (world.rank() == 0) check_nccl(ncclGetUniqueId(&id), "ncclGetUniqueId");
        // The id is opaque bytes; a float broadcast moves them unchanged.
        std::vector<float> buf((sizeof id + sizeof(float) - 1) / sizeof(float));
        std::memcpy(buf.data(), &id, sizeof id);
        world.broadcast(buf.data(), static_cast<int64_t>(buf.size()), 0);
        std::memcpy(&id, buf.data(), sizeof id);
        check_cuda(cudaSetDevice(device.index), "cudaSetDevice");
        check_cuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
        check_nccl(ncclCommInitRank(&comm_, world.size(), id, world.rank()), "ncclCommInitRank");
    }
    ~NcclCommunicator() override {
        cudaStreamSynchronize(stream_);
        ncclCommDestroy(comm_);
        cudaStreamDestroy(stream_);
    }

    int rank() const override { return world_.rank(); }
    int size() const override { return world_.size(); }
    int local_rank() const override { return world_.local_rank(); }
    const char* name() const override { return "nccl"; }
    Device buffer_device(Device) const override { return device_; }

    int start_allreduce_sum(float* data, int64_t n) override {
        // The bucket was packed by kernels on the backend's stream; finish them first, then
        // reduce on our own stream while the backward pass enqueues more work.
        check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
        check_nccl(
            ncclAllReduce(data, data, static_cast<size_t>(n), ncclFloat, ncclSum, comm_, stream_),
            "ncclAllReduce");
        return 0;
    }
    void wait(int) override { check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize"); }

    void allreduce_sum(double* data, int64_t n) override { world_.allreduce_sum(data, n); }
    void broadcast(float* data, int64_t n, int root) override { world_.broadcast(data, n, root); }
    void barrier() override { world_.barrier(); }

  private:
    Communicator& world_;
    Device device_;
    ncclComm_t comm_{};
    cudaStream_t stream_{};
};

}  // namespace

std::unique_ptr<Communicator> make_nccl_communicator(Communicator& world, Device device) {
    return std::make_unique<NcclCommunicator>(world, device);
}

}  // namespace lm::train::dist
