// Finite-difference gradient checks in float64 (flashlight's jacobianTestImpl / ggml's grad
// mode): for L = sum(f(inputs) * G) with a fixed random G, every input element's analytic
// gradient from backward() is compared with the central difference of L.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "tests/support/tensor_testing.h"

namespace lm::testing {

struct GradcheckOptions {
    double eps = 1e-6;  // central-difference step
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
inline void gradcheck(const TensorFn& fn,
                      std::vector<Tensor> inputs,
                      const GradcheckOptions& opt = {},
                      const std::string& what = "") {
    for (Tensor& t : inputs) {
        if (t.defined() && t.requires_grad()) t.set_grad(Tensor());
    }
    const Tensor y = fn(inputs);
    ASSERT_TRUE(y.requires_grad()) << what << ": output does not require grad";
    const Tensor g = random_tensor(y.shape(), 1234, y.dtype());
    const Tensor loss = sum(y * g);
    loss.backward();
    // fn must be a pure function of its inputs (a dropout mask must come from a fresh generator
    // each call), or the differences below compare different functions.
    const double replay = detail::objective(fn, inputs, g), first = loss.item();
    ASSERT_NEAR(replay, first, 1e-12 * (1 + std::fabs(first)))
        << what << ": fn gives different values on repeated calls";
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
            for (int d = 0; d < x.dim(); ++d)
                off += idx[d] * x.stride(d);
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

// `values` copied into a fresh float64 leaf, contiguous or with the last two dims transposed in
// memory (every other element for 1-D).
inline Tensor make_leaf(const Tensor& values, bool noncontig = false) {
    Tensor t = noncontig ? noncontiguous(values).detach() : values.detach().clone();
    t.requires_grad_();
    return t;
}

// Uniform values in [lo, hi) pushed at least `margin` away from each kink (0 for relu and abs,
// the bounds of clamp), so a central difference never straddles a non-differentiable point.
inline Tensor away_from_kinks(const Shape& shape,
                              uint64_t seed,
                              const std::vector<double>& kinks,
                              double margin = 0.05,
                              double lo = -1.0,
                              double hi = 1.0) {
    std::vector<double> v = random_tensor(shape, seed, DType::Float64, lo, hi).to_vector<double>();
    for (double& x : v) {
        for (double k : kinks) {
            if (std::fabs(x - k) < margin) x = x < k ? k - margin : k + margin;
        }
    }
    return from_vector(v, shape, {DType::Float64});
}

// A float64 leaf of the given shape with values in [lo, hi).
inline Tensor leaf(const Shape& shape, uint64_t seed, double lo = -1.0, double hi = 1.0) {
    Tensor t = random_tensor(shape, seed, DType::Float64, lo, hi);
    t.requires_grad_();
    return t;
}

// A non-contiguous float64 leaf (transposed storage) with the given logical shape.
inline Tensor noncontiguous_leaf(const Shape& shape,
                                 uint64_t seed,
                                 double lo = -1.0,
                                 double hi = 1.0) {
    Tensor t = noncontiguous(random_tensor(shape, seed, DType::Float64, lo, hi)).detach();
    t.requires_grad_();
    return t;
}

}  // namespace lm::testing
