// Storage: one reference-counted block of device memory shared by a tensor and its views.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

#include "core/tensor/device.h"

namespace lm {

class Storage {
  public:
    // Allocates `nbytes` on `device` from its caching allocator.
    Storage(size_t nbytes, Device device);
    // Wraps memory owned elsewhere; `deleter` (may be empty) runs when the storage dies.
    Storage(void* data, size_t nbytes, Device device, std::function<void(void*)> deleter);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    void* data() const { return data_; }
    size_t nbytes() const { return nbytes_; }
    Device device() const { return device_; }

    // Incremented by every in-place write; autograd uses it to detect a saved tensor that was
    // modified after it was saved.
    uint64_t version() const { return version_.load(std::memory_order_relaxed); }
    void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

  private:
    void* data_ = nullptr;
    size_t nbytes_ = 0;
    Device device_;
    bool owned_ = true;
    std::function<void(void*)> deleter_;
    std::atomic<uint64_t> version_{0};
};

}  // namespace lm
