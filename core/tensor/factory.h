// Tensor creation: constants, ranges, copies of host data, and random tensors drawn from a
// Philox generator (identical for any thread count and on CPU and GPU).
#pragma once

#include <initializer_list>
#include <vector>

#include "core/base/rng.h"
#include "core/tensor/tensor.h"

namespace lm {

struct TensorOptions {
    DType dtype = DType::Float32;
    Device device = Device::cpu();
};

Tensor zeros(const Shape& shape, TensorOptions opts = {});
Tensor ones(const Shape& shape, TensorOptions opts = {});
Tensor full(const Shape& shape, double value, TensorOptions opts = {});
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor empty_like(const Tensor& t);
Tensor scalar_tensor(double value, TensorOptions opts = {});  // 0-d
Tensor arange(int64_t n, TensorOptions opts = {DType::Int64});
Tensor eye(int64_t n, TensorOptions opts = {});

// Copies host values into a new tensor (converted to opts.dtype) of the given shape.
template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape, TensorOptions opts = {});
Tensor tensor(std::initializer_list<double> values, TensorOptions opts = {});  // 1-D

// Uniform in [lo, hi) and normal N(mean, std) drawn from `gen` (default generator if omitted).
Tensor rand(const Shape& shape, TensorOptions opts = {}, Generator& gen = default_generator());
Tensor randn(const Shape& shape, TensorOptions opts = {}, Generator& gen = default_generator());
void uniform_(const Tensor& t, double lo, double hi, Generator& gen = default_generator());
void normal_(const Tensor& t, double mean, double std, Generator& gen = default_generator());

}  // namespace lm
