// Where a tensor lives. `cpu` always exists; `cuda:N` needs the CUDA backend and a device.
#pragma once

#include <string>

namespace lm {

enum class DeviceType : uint8_t { CPU, CUDA };

struct Device {
    DeviceType type = DeviceType::CPU;
    int index = 0;

    static Device cpu() { return {DeviceType::CPU, 0}; }
    static Device cuda(int index = 0) { return {DeviceType::CUDA, index}; }
    // Parses "cpu", "cuda", "cuda:1"; throws lm::Error naming the expected forms.
    static Device parse(const std::string& text);

    bool is_cpu() const { return type == DeviceType::CPU; }
    bool is_cuda() const { return type == DeviceType::CUDA; }
    std::string str() const;
    bool operator==(const Device& o) const { return type == o.type && index == o.index; }
    bool operator!=(const Device& o) const { return !(*this == o); }
};

// Number of usable CUDA devices: 0 in a build without the CUDA backend or on a machine without
// a GPU or driver (never throws).
int cuda_device_count();
// Waits until the device has finished the work queued on it (timings of asynchronous devices);
// nothing to wait for on the CPU.
void synchronize(Device device);

}  // namespace lm
