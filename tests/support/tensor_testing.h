// Helpers for tests: deterministic random tensors, non-contiguous copies, closeness checks.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/autograd/functional.h"

namespace lm::testing {

// Uniform in [lo, hi) from its own generator, so each test's data depends only on `seed`.
inline Tensor random_tensor(const Shape& shape,
                            uint64_t seed,
                            DType dtype = DType::Float64,
                            double lo = -1.0,
                            double hi = 1.0) {
    Generator gen(seed);
    Tensor t = empty(shape, dtype);
    uniform_(t, lo, hi, gen);
    return t;
}

// The same values as x in a layout with the last two dims transposed in memory.
inline Tensor noncontiguous(const Tensor& x) {
    if (x.dim() < 2) {  // every other element of a buffer twice as long
        Tensor big = zeros({x.numel() * 2}, {x.dtype()});
        Tensor view = big.slice(0, 0, x.numel() * 2, 2).view(x.shape());
        view.copy_(x);
        return view;
    }
    Tensor t = x.transpose(-1, -2).contiguous().detach().transpose(-1, -2);
    EXPECT_FALSE(t.is_contiguous());
    return t;
}

// Same shape, dtype and bytes (after making both contiguous): results that must not depend on
// the thread count are compared with this.
inline bool bitwise_equal(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
    const Tensor ca = a.detach().contiguous(), cb = b.detach().contiguous();
    return std::memcmp(ca.raw_data(), cb.raw_data(), ca.nbytes()) == 0;
}

inline double max_abs_diff(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.shape(), b.shape());
    const auto va = a.to_vector<double>(), vb = b.to_vector<double>();
    double m = 0;
    for (size_t i = 0; i < va.size(); ++i)
        m = std::max(m, std::fabs(va[i] - vb[i]));
    return m;
}

// ||a - b|| / ||b|| (Frobenius).
inline double relative_error(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.shape(), b.shape());
    const auto va = a.to_vector<double>(), vb = b.to_vector<double>();
    double num = 0, den = 0;
    for (size_t i = 0; i < va.size(); ++i) {
        num += (va[i] - vb[i]) * (va[i] - vb[i]);
        den += vb[i] * vb[i];
    }
    return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

inline void expect_close(
    const Tensor& a, const Tensor& b, double rtol, double atol, const std::string& what = "") {
    ASSERT_EQ(a.shape(), b.shape()) << what;
    const auto va = a.to_vector<double>(), vb = b.to_vector<double>();
    for (size_t i = 0; i < va.size(); ++i) {
        ASSERT_LE(std::fabs(va[i] - vb[i]), atol + rtol * std::fabs(vb[i]))
            << what << " element " << i << ": " << va[i] << " vs " << vb[i];
    }
}

// Integer and boolean results as int32 values.
inline std::vector<int32_t> as_int(const Tensor& t) {
    return t.to_vector<int32_t>();
}

inline void expect_values(const Tensor& a,
                          const std::vector<double>& expected,
                          double tol = 1e-12) {
    const auto v = a.to_vector<double>();
    ASSERT_EQ(v.size(), expected.size());
    for (size_t i = 0; i < v.size(); ++i)
        EXPECT_NEAR(v[i], expected[i], tol) << "element " << i;
}

}  // namespace lm::testing
