#include "core/tensor/tensor.h"

#include "core/ops/dispatch.h"
#include "core/ops/elementwise.h"
#include "core/tensor/autograd_meta.h"

namespace lm {

TensorImpl::TensorImpl(
    std::shared_ptr<Storage> storage, Shape shape, Strides strides, int64_t offset, DType dtype)
    : storage_(std::move(storage)),
      shape_(shape),
      strides_(strides),
      offset_(offset),
      dtype_(dtype) {}

TensorImpl::~TensorImpl() = default;

AutogradMeta& TensorImpl::ensure_autograd() {
    if (!autograd_) autograd_ = std::make_unique<AutogradMeta>();
    return *autograd_;
}

int64_t Tensor::size(int64_t dim) const {
    return shape()[normalize_dim(dim, this->dim(), "size")];
}

int64_t Tensor::stride(int64_t dim) const {
    return strides()[normalize_dim(dim, this->dim(), "stride")];
}

bool Tensor::is_contiguous() const {
    if (numel() == 0) return true;  // no element, so any strides lay it out densely
    int64_t expected = 1;
    for (int d = dim() - 1; d >= 0; --d) {
        if (shape()[d] == 1) continue;
        if (strides()[d] != expected) return false;
        expected *= shape()[d];
    }
    return true;
}

std::string Tensor::str() const {
    if (!defined()) return "undefined tensor";
    return std::string(dtype_name(dtype())) + shape().str() + " on " + device().str();
}

void* Tensor::raw_data() const {
    return static_cast<char*>(impl().storage()->data()) +
           offset() * static_cast<int64_t>(dtype_size(dtype()));
}

double Tensor::item() const {
    LM_CHECK(numel() == 1, "item(): the tensor has ", numel(), " elements, expected 1");
    const Tensor host = ops::cast(to(Device::cpu()).detach(), DType::Float64);
    return *static_cast<const double*>(host.raw_data());
}

template <class T>
std::vector<T> Tensor::to_vector() const {
    Tensor t = detach();
    if (!t.device().is_cpu()) t = t.to(Device::cpu());
    t = ops::contiguous(ops::cast(t, dtype_of<T>));
    const T* p = static_cast<const T*>(t.raw_data());
    return std::vector<T>(p, p + t.numel());
}

template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<int32_t> Tensor::to_vector<int32_t>() const;
template std::vector<int64_t> Tensor::to_vector<int64_t>() const;

Tensor& Tensor::fill_(double value) {
    LM_CHECK(!requires_grad() || !is_leaf(),
             "fill_: cannot write in place into a leaf that "
             "requires grad; wrap the write in NoGradGuard");
    ops::fill(*this, value);
    return *this;
}

Tensor& Tensor::copy_(const Tensor& src) {
    ops::copy_into(*this, src);
    return *this;
}

Tensor empty(const Shape& shape, DType dtype, Device device) {
    for (int64_t s : shape)
        LM_CHECK(s >= 0, "empty: negative size in shape ", shape.str());
    const size_t nbytes = static_cast<size_t>(shape.numel()) * dtype_size(dtype);
    auto storage = std::make_shared<Storage>(nbytes, device);
    return Tensor(std::make_shared<TensorImpl>(std::move(storage), shape, contiguous_strides(shape),
                                               0, dtype));
}

Tensor as_strided(const Tensor& base, const Shape& shape, const Strides& strides, int64_t offset) {
    LM_ASSERT(shape.size() == strides.size(), "as_strided rank mismatch");
    int64_t lo = offset, hi = offset;
    for (int d = 0; d < shape.size(); ++d) {
        if (shape[d] == 0) {
            lo = hi = offset;
            break;
        }
        const int64_t span = (shape[d] - 1) * strides[d];
        (span < 0 ? lo : hi) += span;
    }
    const int64_t capacity =
        static_cast<int64_t>(base.impl().storage()->nbytes() / dtype_size(base.dtype()));
    LM_ASSERT(lo >= 0 && (shape.numel() == 0 || hi < capacity), "view ", shape.str(),
              " exceeds its storage of ", capacity, " elements");
    return Tensor(
        std::make_shared<TensorImpl>(base.impl().storage(), shape, strides, offset, base.dtype()));
}

Tensor from_blob(void* data, const Shape& shape, DType dtype, Device device) {
    const size_t nbytes = static_cast<size_t>(shape.numel()) * dtype_size(dtype);
    auto storage = std::make_shared<Storage>(data, nbytes, device, nullptr);
    return Tensor(std::make_shared<TensorImpl>(std::move(storage), shape, contiguous_strides(shape),
                                               0, dtype));
}

void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
    LM_CHECK(a.device() == b.device(), op, ": tensors are on different devices (", a.device().str(),
             " and ", b.device().str(), ")");
}

void check_same_dtype(const Tensor& a, const Tensor& b, const char* op) {
    LM_CHECK(a.dtype() == b.dtype(), op, ": tensors have different dtypes (", dtype_name(a.dtype()),
             " and ", dtype_name(b.dtype()), ")");
}

void check_floating(const Tensor& t, const char* op) {
    LM_CHECK(t.dtype() == DType::Float32 || t.dtype() == DType::Float64, op,
             ": expected a float32 or float64 tensor, got ", dtype_name(t.dtype()));
}

}  // namespace lm
