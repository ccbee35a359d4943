// Finite-difference gradient checks in float64 (flashlight's jacobianTestImpl / ggml's grad
// mode): for L = sum(f(inputs) * G) with a fixed random G, every input element's analytic
// gradient from backward() is compared with the central difference of L.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "tests/support/tensor_testing.h"

namespace lm::testing {

struct GradcheckOptions {
    double eps = 1e-6;     // central-difference step
    double atol = 1e-7;
    double rtol = 1e-5;
    int64_t max_checks = 4096;  // elements checked per input (evenly spaced beyond this)
};

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

namespace detail {
inline double objective(const TensorFn& fn, const std::vector<Tensor>& inputs, const Tensor& g) {
    NoGradGuard no_grad;
    const Tensor y = fn(inputs);
    return sum(y * g).item();
}
}  // namespace detail

// Checks d/d(input) of sum(fn(inputs) * G) for every input that requires grad. Inputs must be
// float64 leaves; they may be non-contiguous views (of a leaf) to exercise strided kernels.
inline void gradcheck(const TensorFn& fn, std::vector<Tensor> inputs, const GradcheckOptions& opt = {},
                      const std::string& what = "") {
    for (Tensor& t : inputs) {
        if (t.defined() && t.requires_grad()) t.set_grad(Tensor());
    }
    const Tensor y = fn(inputs);
    ASSERT_TRUE(y.requires_grad()) << what << ": output does not require grad";
    const Tensor g = random_tensor(y.shape(), 1234, y.dtype());
    sum(y * g).backward();
    for (size_t k = 0; k < inputs.size(); ++k) {
        Tensor& x = inputs[k];
        if (!x.defined() || !x.requires_grad()) continue;
        ASSERT_EQ(x.dtype(), DType::Float64) << what << ": gradcheck needs float64 inputs";
        const Tensor analytic = x.grad().defined() ? x.grad() : zeros_like(x);
        ASSERT_EQ(analytic.shape(), x.shape()) << what << " input " << k;
        const auto an = analytic.to_vector<double>();
        const int64_t n = x.numel();
        const int64_t step = std::max<int64_t>(1, n / opt.max_checks);
        // Perturb through a contiguous flat view of the same memory when possible.
        for (int64_t i = 0; i < n; i += step) {
            // index i in row-major order of x's shape
            Dims idx = Dims::filled(x.dim(), 0);
            int64_t rem = i;
            for (int d = x.dim() - 1; d >= 0; --d) {
                idx[d] = rem % x.size(d);
                rem /= x.size(d);
            }
            int64_t off = x.offset();
            for (int d = 0; d < x.dim(); ++d) off += idx[d] * x.stride(d);
            double* p = static_cast<double*>(x.impl().storage()->data()) + off;
            const double orig = *p;
            *p = orig + opt.eps;
            const double up = detail::objective(fn, inputs, g);
            *p = orig - opt.eps;
            const double down = detail::objective(fn, inputs, g);
            *p = orig;
            const double numeric = (up - down) / (2 * opt.eps);
            ASSERT_NEAR(an[i], numeric, opt.atol + opt.rtol * std::fabs(numeric))
                << what << ": input " << k << " element " << i << " of " << x.shape().str();
        }
    }
}

// A float64 leaf of the given shape with values in [lo, hi).
inline Tensor leaf(const Shape& shape, uint64_t seed, double lo = -1.0, double hi = 1.0) {
    Tensor t = random_tensor(shape, seed, DType::Float64, lo, hi);
    t.requires_grad_();
    return t;
}

// A non-contiguous float64 leaf (transposed storage) with the given logical shape.
inline Tensor noncontiguous_leaf(const Shape& shape, uint64_t seed, double lo = -1.0, double hi = 1.0) {
    Tensor t = noncontiguous(random_tensor(shape, seed, DType::Float64, lo, hi)).detach();
    t.requires_grad_();
    return t;
}

}  // namespace lm::testing
