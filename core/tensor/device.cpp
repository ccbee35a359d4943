#include "core/tensor/device.h"

#include "core/base/check.h"

namespace lm {

Device Device::parse(const std::string& text) {
    if (text == "cpu") return cpu();
    if (text == "cuda") return cuda(0);
    if (text.rfind("cuda:", 0) == 0) {
        const std::string idx = text.substr(5);
        LM_CHECK(!idx.empty() && idx.find_first_not_of("0123456789") == std::string::npos,
                 "bad device '", text, "'; expected cpu, cuda or cuda:N");
        return cuda(std::stoi(idx));
    }
    LM_CHECK(false, "bad device '", text, "'; expected cpu, cuda or cuda:N");
}

#ifdef LANDMARK_WITH_CUDA
namespace cuda {
int device_count();            // core/cuda/runtime.cpp
void synchronize(int device);  // core/cuda/context.cpp
}  // namespace cuda

void synchronize(Device device) {
    if (device.is_cuda()) cuda::synchronize(device.index);
}
int cuda_device_count() {
    return cuda::device_count();
}
#else
int cuda_device_count() {
    return 0;
}

void synchronize(Device) {}
#endif

std::string Device::str() const {
    return type == DeviceType::CPU ? "cpu" : "cuda:" + std::to_string(index);
}

}  // namespace lm
