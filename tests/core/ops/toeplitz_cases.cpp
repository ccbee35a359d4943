// Op cases of the Toeplitz product through the FFT (core/ops/toeplitz.h), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

#include "core/autograd/toeplitz.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// The dense Toeplitz matrix T[g][i][j] = c[g][j - i + n - 1] times x [B, G, n, r], built by
// gathering the coefficients.
Tensor dense_toeplitz_product(const Tensor& c, const Tensor& x) {
    const int64_t G = c.size(0), n = x.size(2);
    std::vector<int64_t> idx;
    for (int64_t g = 0; g < G; ++g) {
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t j = 0; j < n; ++j)
                idx.push_back(j - i + n - 1);
        }
    }
    const Tensor index = from_vector(idx, {G, n * n}, {DType::Int64}).to(c.device());
    return matmul(gather(c, 1, index).reshape({1, G, n, n}), x);
}

LM_OP_CASES(toeplitz) {
    auto inputs = [](DType t) {
        return std::vector<Tensor>{case_input(t, {2, 11}, 9, 0.1, 1.0),
                                   case_input(t, {2, 2, 6, 3}, 10)};
    };
    auto product = [](const std::vector<Tensor>& in) { return toeplitz_matmul(in[0], in[1]); };
    auto dense = [](const std::vector<Tensor>& in) { return dense_toeplitz_product(in[0], in[1]); };
    OpCase plain = testing::op_case("toeplitz", "coefficients and input", inputs, product, dense);
    plain.reference_tol = 1e-11;  // the FFT rounds differently from the dense sum
    OpCase chained = testing::op_case(
        "toeplitz", "coefficients through exp", inputs,
        [](const std::vector<Tensor>& in) { return toeplitz_matmul(exp(in[0]), in[1]); });
    return {plain, chained};
}

}  // namespace
}  // namespace lm
