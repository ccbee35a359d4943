#include "core/tensor/factory.h"

#include "core/ops/elementwise.h"
#include "core/ops/random.h"

namespace lm {

Tensor full(const Shape& shape, double value, TensorOptions opts) {
    Tensor t = empty(shape, opts.dtype, opts.device);
    ops::fill(t, value);
    return t;
}

Tensor zeros(const Shape& shape, TensorOptions opts) { return full(shape, 0.0, opts); }
Tensor ones(const Shape& shape, TensorOptions opts) { return full(shape, 1.0, opts); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), {t.dtype(), t.device()}); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), {t.dtype(), t.device()}); }
Tensor empty_like(const Tensor& t) { return empty(t.shape(), t.dtype(), t.device()); }
Tensor scalar_tensor(double value, TensorOptions opts) { return full(Shape{}, value, opts); }

Tensor arange(int64_t n, TensorOptions opts) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = i;
    return from_vector(v, {n}, opts);
}

Tensor eye(int64_t n, TensorOptions opts) {
    std::vector<double> v(static_cast<size_t>(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
    return from_vector(v, {n, n}, opts);
}

template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape, TensorOptions opts) {
    LM_CHECK(static_cast<int64_t>(values.size()) == shape.numel(), "from_vector: ", values.size(),
             " values do not fill shape ", shape.str());
    Tensor host = from_blob(const_cast<T*>(values.data()), shape, dtype_of<T>);
    Tensor out = empty(shape, opts.dtype, opts.device);
    if (opts.device.is_cpu()) {
        ops::copy_into(out, host);
    } else {
        ops::copy_into(out, ops::cast(host, opts.dtype));
    }
    return out;
}

template Tensor from_vector<float>(const std::vector<float>&, const Shape&, TensorOptions);
template Tensor from_vector<double>(const std::vector<double>&, const Shape&, TensorOptions);
template Tensor from_vector<int32_t>(const std::vector<int32_t>&, const Shape&, TensorOptions);
template Tensor from_vector<int64_t>(const std::vector<int64_t>&, const Shape&, TensorOptions);

Tensor tensor(std::initializer_list<double> values, TensorOptions opts) {
    return from_vector(std::vector<double>(values), {static_cast<int64_t>(values.size())}, opts);
}

void uniform_(const Tensor& t, double lo, double hi, Generator& gen) {
    const uint64_t offset = gen.reserve(ops::philox_blocks_for(t.numel(), false));
    ops::fill_uniform(t, lo, hi, gen.seed(), offset);
}

void normal_(const Tensor& t, double mean, double std, Generator& gen) {
    const uint64_t offset = gen.reserve(ops::philox_blocks_for(t.numel(), true));
    ops::fill_normal(t, mean, std, gen.seed(), offset);
}

Tensor rand(const Shape& shape, TensorOptions opts, Generator& gen) {
    Tensor t = empty(shape, opts.dtype, opts.device);
    uniform_(t, 0.0, 1.0, gen);
    return t;
}

Tensor randn(const Shape& shape, TensorOptions opts, Generator& gen) {
    Tensor t = empty(shape, opts.dtype, opts.device);
    normal_(t, 0.0, 1.0, gen);
    return t;
}

}  // namespace lm
