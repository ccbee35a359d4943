// Tensor: a strided view (shape, strides, offset, dtype) of a shared Storage, plus autograd
// metadata. Copying a Tensor copies a handle; views share storage and never copy data.
//
// Differentiable methods (views, arithmetic, reductions) are thin wrappers over the functions in
// core/autograd/functional.h and are defined there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/check.h"
#include "core/tensor/device.h"
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"
#include "core/tensor/storage.h"

namespace lm {

class Node;
class Tensor;
struct AutogradMeta;

class TensorImpl {
  public:
    TensorImpl(std::shared_ptr<Storage> storage,
               Shape shape,
               Strides strides,
               int64_t offset,
               DType dtype);
    ~TensorImpl();

    const std::shared_ptr<Storage>& storage() const { return storage_; }
    const Shape& shape() const { return shape_; }
    const Strides& strides() const { return strides_; }
    int64_t offset() const { return offset_; }
    DType dtype() const { return dtype_; }
    Device device() const { return storage_->device(); }

    AutogradMeta* autograd() const { return autograd_.get(); }
    AutogradMeta& ensure_autograd();

  private:
    std::shared_ptr<Storage> storage_;
    Shape shape_;
    Strides strides_;
    int64_t offset_;  // in elements
    DType dtype_;
    std::unique_ptr<AutogradMeta> autograd_;
};

class Tensor {
  public:
    Tensor() = default;
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    // ---- metadata
    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const { return impl().shape(); }
    const Strides& strides() const { return impl().strides(); }
    int dim() const { return shape().size(); }
    int64_t size(int64_t dim) const;
    int64_t stride(int64_t dim) const;
    int64_t numel() const { return shape().numel(); }
    int64_t offset() const { return impl().offset(); }
    DType dtype() const { return impl().dtype(); }
    Device device() const { return impl().device(); }
    bool is_contiguous() const;
    size_t nbytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype()); }
    std::string str() const;  // "float32[2, 3] on cpu"

    // ---- data access (host memory for CPU tensors)
    void* raw_data() const;  // pointer to element 0 of this view
    template <class T>
    T* data() const {
        LM_CHECK(dtype_of<T> == dtype(), "tensor of dtype ", dtype_name(dtype()), " accessed as ",
                 dtype_name(dtype_of<T>));
        return static_cast<T*>(raw_data());
    }
    double item() const;  // the value of a one-element tensor, converted to double
    template <class T>
    std::vector<T> to_vector() const;  // contiguous host copy of all elements, row-major

    // ---- views (differentiable; defined in core/autograd/views.cpp)
    Tensor view(const Shape& shape) const;     // requires compatible strides
    Tensor reshape(const Shape& shape) const;  // view when possible, else a contiguous copy
    Tensor transpose(int64_t d0, int64_t d1) const;
    Tensor permute(const Dims& order) const;
    Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const;
    Tensor select(int64_t dim, int64_t index) const;  // removes `dim`
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
    Tensor expand(const Shape& shape) const;
    Tensor unsqueeze(int64_t dim) const;
    Tensor squeeze(int64_t dim) const;
    Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
    Tensor contiguous() const;  // `*this` when already contiguous
    Tensor mT() const { return transpose(-2, -1); }

    // ---- copies and conversion
    Tensor clone() const;            // differentiable contiguous copy
    Tensor to(DType dtype) const;    // differentiable between floating types
    Tensor to(Device device) const;  // differentiable copy to another device
    Tensor detach() const;           // shares storage, no graph

    // ---- autograd
    bool requires_grad() const;
    Tensor& requires_grad_(bool value = true);
    bool is_leaf() const;
    Tensor grad() const;
    void set_grad(const Tensor& grad) const;
    void retain_grad() const;
    const std::shared_ptr<Node>& grad_fn() const;
    // Back-propagates from this tensor; `grad` may be omitted for one-element tensors.
    void backward(const Tensor& grad = Tensor(), bool retain_graph = false) const;

    // ---- in-place writes (not recorded by autograd; refused on tensors that need grad)
    Tensor& fill_(double value);
    Tensor& zero_() { return fill_(0.0); }
    Tensor& copy_(const Tensor& src);  // broadcasting, dtype-converting copy into this view
    void bump_version() const { impl().storage()->bump_version(); }

    // ---- arithmetic sugar (defined in autograd/functional.cpp)
    Tensor sum(const Dims& dims = {}, bool keepdim = false) const;
    Tensor mean(const Dims& dims = {}, bool keepdim = false) const;

    TensorImpl& impl() const {
        LM_CHECK(impl_ != nullptr, "use of an undefined tensor");
        return *impl_;
    }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
    bool same(const Tensor& other) const { return impl_ == other.impl_; }

  private:
    std::shared_ptr<TensorImpl> impl_;
};

// ---- raw construction (no autograd)

// A new uninitialised contiguous tensor.
Tensor empty(const Shape& shape, DType dtype = DType::Float32, Device device = Device::cpu());
// A view of `base`'s storage with the given geometry; bounds are checked against the storage.
Tensor as_strided(const Tensor& base, const Shape& shape, const Strides& strides, int64_t offset);
// Wraps host memory without copying; the caller keeps it alive (or passes a deleter).
Tensor from_blob(void* data, const Shape& shape, DType dtype, Device device = Device::cpu());

// Errors naming both devices (or dtypes) when an op receives tensors that disagree.
void check_same_device(const Tensor& a, const Tensor& b, const char* op);
void check_same_dtype(const Tensor& a, const Tensor& b, const char* op);
void check_floating(const Tensor& t, const char* op);

}  // namespace lm
