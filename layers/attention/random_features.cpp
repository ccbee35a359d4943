#include "layers/attention/random_features.h"

#include <cmath>
#include <vector>

#include "core/base/check.h"
#include "core/tensor/factory.h"

namespace lm::nn {

void orthonormalize_columns(double* a, int64_t d) {
    // Modified Gram-Schmidt, two passes ("twice is enough"): column j loses its components along
    // columns 0..j-1, then is normalised. Gaussian columns are independent with probability 1.
    auto at = [&](int64_t i, int64_t j) -> double& { return a[i * d + j]; };
    for (int64_t j = 0; j < d; ++j) {
        for (int pass = 0; pass < 2; ++pass) {
            for (int64_t p = 0; p < j; ++p) {
                double dot = 0;
                for (int64_t i = 0; i < d; ++i)
                    dot += at(i, p) * at(i, j);
                for (int64_t i = 0; i < d; ++i)
                    at(i, j) -= dot * at(i, p);
            }
        }
        double norm = 0;
        for (int64_t i = 0; i < d; ++i)
            norm += at(i, j) * at(i, j);
        norm = std::sqrt(norm);
        LM_CHECK(norm > 0, "orthonormalize_columns: rank-deficient block");
        for (int64_t i = 0; i < d; ++i)
            at(i, j) /= norm;
    }
}

Tensor orthogonal_gaussian_features(int64_t m, int64_t d, Generator& gen) {
    LM_CHECK(m > 0 && d > 0, "orthogonal_gaussian_features: m and d must be positive");
    std::vector<double> rows;
    rows.reserve(static_cast<size_t>(((m + d - 1) / d) * d * d));
    std::vector<double> block(static_cast<size_t>(d * d));
    while (static_cast<int64_t>(rows.size()) < m * d) {
        for (double& x : block)
            x = gen.normal();
        orthonormalize_columns(block.data(), d);
        // the rows of Q^T are the columns of Q
        for (int64_t j = 0; j < d; ++j) {
            for (int64_t i = 0; i < d; ++i)
                rows.push_back(block[i * d + j]);
        }
    }
    rows.resize(static_cast<size_t>(m * d));
    for (int64_t r = 0; r < m; ++r) {
        double norm = 0;  // || g ||, g ~ N(0, I_d)
        for (int64_t i = 0; i < d; ++i) {
            const double g = gen.normal();
            norm += g * g;
        }
        norm = std::sqrt(norm);
        for (int64_t i = 0; i < d; ++i)
            rows[r * d + i] *= norm;
    }
    return from_vector(rows, {m, d}, {DType::Float64});
}

}  // namespace lm::nn
