// The caching device allocator: CachingPool (caching_pool.h) over cudaMalloc / cudaFree, one per
// device, behind a mutex. Blocks freed by tensors are reused at once: every kernel of a device
// runs on its one stream (context.h), so later work is ordered after earlier users of a block.
#include <cuda_runtime_api.h>

#include <memory>
#include <mutex>
#include <vector>

#include "core/base/check.h"
#include "core/cuda/caching_pool.h"
#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/tensor/allocator.h"

namespace lm::cuda {

namespace {

class CudaMemory final : public RawDeviceMemory {
  public:
    explicit CudaMemory(int device) : device_(device) {}

    void* malloc(size_t nbytes) override {
        DeviceScope scope(Device::cuda(device_));
        void* p = nullptr;
        const cudaError_t err = cudaMalloc(&p, nbytes);
        if (err == cudaErrorMemoryAllocation) {
            (void)cudaGetLastError();  // not sticky: clear it and let the pool retry
            return nullptr;
        }
        LM_CUDA_CHECK(err);
        return p;
    }

    void free(void* ptr) override {
        DeviceScope scope(Device::cuda(device_));
        LM_CUDA_CHECK(cudaFree(ptr));  // synchronises the device: no kernel still reads it
    }

  private:
    int device_;
};

class CudaCachingAllocator final : public Allocator {
  public:
    explicit CudaCachingAllocator(int device) : device_(device), raw_(device), pool_(raw_) {}

    void* allocate(size_t nbytes) override {
        std::lock_guard<std::mutex> lock(mu_);
        void* p = pool_.allocate(nbytes);
        if (!p) throw_out_of_memory(nbytes);
        return p;
    }

    void deallocate(void* ptr, size_t nbytes) override {
        std::lock_guard<std::mutex> lock(mu_);
        pool_.deallocate(ptr, nbytes);
    }

    MemoryStats stats() const override {
        std::lock_guard<std::mutex> lock(mu_);
        return pool_.stats();
    }

    void reset_peak() override {
        std::lock_guard<std::mutex> lock(mu_);
        pool_.reset_peak();
    }

    void empty_cache() override {
        std::lock_guard<std::mutex> lock(mu_);
        pool_.release_cache();
    }

  private:
    [[noreturn]] void throw_out_of_memory(size_t nbytes) const {
        size_t free_bytes = 0, total = 0;
        {
            DeviceScope scope(Device::cuda(device_));
            if (cudaMemGetInfo(&free_bytes, &total) != cudaSuccess) (void)cudaGetLastError();
        }
        const MemoryStats s = pool_.stats();
        LM_CHECK(false, "CUDA out of memory on cuda:", device_, ": could not allocate ",
                 device_block_size(nbytes), " bytes (", s.live_bytes >> 20,
                 " MiB held by tensors, ", free_bytes >> 20, " MiB free of ", total >> 20,
                 " MiB); lower train.batch_size or the model size");
    }

    int device_;
    CudaMemory raw_;
    CachingPool pool_;
    mutable std::mutex mu_;
};

}  // namespace

Allocator& device_allocator(int index) {
    check_device(Device::cuda(index));
    static std::mutex mu;
    // Leaked on purpose, like the CPU allocator: tensors in static storage may die after it.
    static auto* allocators = new std::vector<std::unique_ptr<CudaCachingAllocator>>();
    std::lock_guard<std::mutex> lock(mu);
    if (allocators->size() <= static_cast<size_t>(index)) allocators->resize(index + 1);
    auto& slot = (*allocators)[index];
    if (!slot) slot = std::make_unique<CudaCachingAllocator>(index);
    return *slot;
}

}  // namespace lm::cuda
