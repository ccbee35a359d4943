// Device discovery: device_count() answers 0 rather than failing on a machine without a GPU or
// driver (cudaErrorNoDevice, cudaErrorInsufficientDriver or any other error).
#include <cuda_runtime_api.h>

#include "core/base/check.h"
#include "core/cuda/context.h"

namespace lm::cuda {

int device_count() {
    static const int count = [] {
        int n = 0;
        const cudaError_t err = cudaGetDeviceCount(&n);
        if (err != cudaSuccess) {
            (void)cudaGetLastError();  // clear it: the CPU paths must keep working
            return 0;
        }
        return n;
    }();
    return count;
}

void check_device(Device device) {
    LM_CHECK(device.is_cuda(), "expected a CUDA device, got ", device.str());
    const int n = device_count();
    LM_CHECK(n > 0, "no CUDA device: cannot use ", device.str(),
             " (no GPU or driver was found; check nvidia-smi, or use the cpu device)");
    LM_CHECK(device.index >= 0 && device.index < n, "cannot use ", device.str(), ": only ", n,
             " CUDA device(s) exist");
}

}  // namespace lm::cuda
