// Per-device CUDA resources, created on first use: nothing CUDA runs at static initialisation, so
// a CUDA build loads and runs its CPU paths on a machine without a GPU or driver. Each device has
// one stream on which every kernel, copy and library call for it is ordered (so the caching
// allocator may reuse a freed block at once), a cuBLAS handle with its workspace, a cuDNN handle
// and a cache of cuFFT plans, all bound to that stream.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cufft.h>

#include <cstdint>

#include "core/tensor/device.h"

struct cudnnContext;  // cudnnHandle_t, without cudnn.h (kept to the cuDNN translation unit)

namespace lm::cuda {

// Usable GPUs: 0 without a device or driver, or on any error (never throws; runtime.cpp).
int device_count();
// Throws lm::Error naming the device unless it is an existing GPU.
void check_device(Device device);

// Makes `device` current for a scope (cudaSetDevice) and restores the previous device.
class DeviceScope {
  public:
    explicit DeviceScope(Device device);
    ~DeviceScope();
    DeviceScope(const DeviceScope&) = delete;
    DeviceScope& operator=(const DeviceScope&) = delete;

    int index() const { return index_; }
    cudaStream_t stream() const { return stream_; }

  private:
    int index_ = 0;
    int previous_ = -1;
    cudaStream_t stream_ = nullptr;
};

cudaStream_t stream(int device);
cublasHandle_t cublas_handle(int device);
cudnnContext* cudnn_handle(int device);

enum class FftKind : uint8_t { R2C_F32, C2R_F32, R2C_F64, C2R_F64 };
// A batched 1-D plan of `batch` contiguous transforms of length `length`, on the device stream.
cufftHandle fft_plan(int device, FftKind kind, int64_t length, int64_t batch);

// Waits for the device's stream (host reads of results, copies to pageable memory).
void synchronize(int device);

}  // namespace lm::cuda
