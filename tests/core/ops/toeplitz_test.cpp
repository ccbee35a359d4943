// The FFT Toeplitz product against dense products (float64 to 1e-12), its coefficient
// cross-correlation, the autograd wrapper's gradients, and determinism across thread counts.
#include <gtest/gtest.h>

#include "core/autograd/functional.h"
#include "core/autograd/toeplitz.h"
#include "core/base/parallel.h"
#include "core/ops/toeplitz.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::random_tensor;

// Dense y[s, i, :] = sum_j C_ij x[s, j, :] with C_ij = c[g, j - i + n - 1] (or C^T), any dtype.
Tensor dense_toeplitz(const Tensor& c, const Tensor& x, bool transpose) {
    const int64_t G = x.size(-3), n = x.size(-2), r = x.size(-1), S = x.numel() / (n * r);
    const auto cv = c.to_vector<double>(), xv = x.to_vector<double>();
    std::vector<double> y(xv.size(), 0.0);
    for (int64_t s = 0; s < S; ++s) {
        const double* cg = cv.data() + (s % G) * (2 * n - 1);
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                const double cij = cg[(transpose ? i - j : j - i) + n - 1];
                for (int64_t k = 0; k < r; ++k)
                    y[(s * n + i) * r + k] += cij * xv[(s * n + j) * r + k];
            }
        }
    }
    return from_vector(y, x.shape(), {x.dtype()});
}

TEST(Toeplitz, FftSizeIsSmoothEvenAndLargeEnough) {
    EXPECT_EQ(ops::toeplitz_fft_size(1), 2);
    EXPECT_EQ(ops::toeplitz_fft_size(5), 10);   // 2n - 1 = 9 -> 10
    EXPECT_EQ(ops::toeplitz_fft_size(12), 24);  // 23 -> 24
    EXPECT_EQ(ops::toeplitz_fft_size(1000), 2000);
    EXPECT_EQ(ops::toeplitz_fft_size(17), 36);  // 33 -> 34 = 2*17 not smooth -> 36
}

TEST(Toeplitz, MatchesDenseProductInDouble) {
    // lengths around FFT sizes, more columns than one chunk (64), leading dims with groups
    for (int64_t n : {1, 2, 7, 33}) {
        for (bool transpose : {false, true}) {
            const Tensor x = random_tensor({2, 3, n, 70}, 10 + n);
            const Tensor c = random_tensor({3, 2 * n - 1}, 20 + n, DType::Float64, 0.0, 2.0);
            const Tensor y = ops::toeplitz_matmul(c, x, transpose);
            const Tensor ref = dense_toeplitz(c, x, transpose);
            EXPECT_LT(testing::max_abs_diff(y, ref), 1e-12) << "n = " << n << " T = " << transpose;
        }
    }
}

TEST(Toeplitz, FloatMatchesDenseAndStridedInputWorks) {
    const Tensor x = random_tensor({4, 2, 16, 5}, 3, DType::Float32);
    const Tensor c = random_tensor({2, 31}, 4, DType::Float32, 0.0, 1.0);
    EXPECT_LT(testing::max_abs_diff(ops::toeplitz_matmul(c, x), dense_toeplitz(c, x, false)), 2e-5);
    // a transposed view [.., n, r] with r stride 1 absent
    const Tensor base = random_tensor({1, 2, 6, 16}, 5);
    const Tensor xt = base.transpose(-1, -2);
    const Tensor c2 = random_tensor({2, 31}, 6);
    EXPECT_LT(testing::max_abs_diff(ops::toeplitz_matmul(c2, xt), dense_toeplitz(c2, xt, false)),
              1e-12);
}

TEST(Toeplitz, CoefficientGradientIsTheCrossCorrelation) {
    const int64_t n = 9, r = 67;
    const Tensor x = random_tensor({3, 2, n, r}, 7), dy = random_tensor({3, 2, n, r}, 8);
    const Tensor dc = ops::toeplitz_coeff_grad(dy, x);
    const auto xv = x.to_vector<double>(), gv = dy.to_vector<double>();
    std::vector<double> ref(2 * (2 * n - 1), 0.0);
    for (int64_t s = 0; s < 6; ++s) {
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                for (int64_t k = 0; k < r; ++k) {
                    ref[(s % 2) * (2 * n - 1) + j - i + n - 1] +=
                        gv[(s * n + i) * r + k] * xv[(s * n + j) * r + k];
                }
            }
        }
    }
    testing::expect_values(dc, ref, 1e-11);
}

TEST(Toeplitz, GradcheckCoefficientsAndInput) {
    Tensor c = testing::leaf({2, 11}, 9, 0.1, 1.0), x = testing::leaf({2, 2, 6, 3}, 10);
    testing::gradcheck([](const std::vector<Tensor>& in) { return toeplitz_matmul(in[0], in[1]); },
                       {c, x}, {}, "toeplitz_matmul");
    // c = exp(b): db = c * dc through the autograd chain
    Tensor b = testing::leaf({2, 11}, 11);
    testing::gradcheck(
        [&](const std::vector<Tensor>& in) { return toeplitz_matmul(exp(in[0]), x.detach()); }, {b},
        {}, "toeplitz_matmul of exp(b)");
}

TEST(Toeplitz, SameBitsForAnyThreadCount) {
    const Tensor x = random_tensor({4, 2, 50, 130}, 12), dy = random_tensor({4, 2, 50, 130}, 13);
    const Tensor c = random_tensor({2, 99}, 14);
    const int saved = num_threads();
    set_num_threads(1);
    const Tensor y1 = ops::toeplitz_matmul(c, x), g1 = ops::toeplitz_coeff_grad(dy, x);
    set_num_threads(2);
    const Tensor y2 = ops::toeplitz_matmul(c, x), g2 = ops::toeplitz_coeff_grad(dy, x);
    set_num_threads(saved);
    EXPECT_TRUE(testing::bitwise_equal(y1, y2));
    EXPECT_TRUE(testing::bitwise_equal(g1, g2));
}

TEST(Toeplitz, RejectsWrongCoefficientShape) {
    const Tensor x = random_tensor({1, 2, 5, 3}, 15);
    EXPECT_THROW(ops::toeplitz_matmul(random_tensor({2, 8}, 16), x), Error);
    EXPECT_THROW(ops::toeplitz_matmul(random_tensor({3, 9}, 16), x), Error);
    EXPECT_THROW(ops::toeplitz_matmul(random_tensor({2, 9}, 16), random_tensor({5, 3}, 1)), Error);
}

}  // namespace
}  // namespace lm
