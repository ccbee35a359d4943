#include "core/tensor/allocator.h"

#include "core/base/check.h"

namespace lm {

#ifdef LANDMARK_WITH_CUDA
namespace cuda {
Allocator& device_allocator(int index);  // core/cuda/allocator_cuda.cpp
}
#endif

Allocator& allocator_for(Device device) {
    if (device.is_cpu()) return cpu_allocator();
#ifdef LANDMARK_WITH_CUDA
    return cuda::device_allocator(device.index);
#else
    LM_CHECK(false, "cannot allocate on ", device.str(),
             ": this build of landmark has no CUDA backend");
#endif
}

}  // namespace lm
