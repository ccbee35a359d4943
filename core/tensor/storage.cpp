#include "core/tensor/storage.h"

#include "core/tensor/allocator.h"

namespace lm {

Storage::Storage(size_t nbytes, Device device) : nbytes_(nbytes), device_(device) {
    data_ = allocator_for(device).allocate(nbytes);
}

Storage::Storage(void* data, size_t nbytes, Device device, std::function<void(void*)> deleter)
    : data_(data), nbytes_(nbytes), device_(device), owned_(false), deleter_(std::move(deleter)) {}

Storage::~Storage() {
    if (owned_) {
        allocator_for(device_).deallocate(data_, nbytes_);
    } else if (deleter_) {
        deleter_(data_);
    }
}

}  // namespace lm
