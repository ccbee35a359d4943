#include "core/cuda/kernel_version.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace lm::cuda {

namespace {
std::atomic<RowKernels>& version() {
    static std::atomic<RowKernels> v{[] {
        const char* env = std::getenv("LANDMARK_CUDA_ROW_KERNELS");
        return env && std::strcmp(env, "v1") == 0 ? RowKernels::V1 : RowKernels::V2;
    }()};
    return v;
}
}  // namespace

RowKernels row_kernels() {
    return version().load(std::memory_order_relaxed);
}
void set_row_kernels(RowKernels v) {
    version().store(v, std::memory_order_relaxed);
}

}  // namespace lm::cuda
