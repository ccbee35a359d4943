// The depthwise sequence-conv row functions against the definition, summed term by term:
// widths that exercise the host vector blocks (32 floats / 16 doubles), the scalar channel tail,
// and filters longer than the sequence (taps falling off both ends).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/kernels/conv_seq.h"

namespace lm::kernels {
namespace {

// y[i, d] = sum_t w[t] x[i + t - K/2, d] (flip: x[i - t + K/2, d]), zero outside [0, N).
template <class T>
T definition(const std::vector<T>& x,
             const std::vector<T>& w,
             int64_t i,
             int64_t d,
             int64_t N,
             int64_t D,
             bool flip) {
    const int64_t K = static_cast<int64_t>(w.size()), pad = K / 2;
    T acc = T(0.25);  // the row functions accumulate into what y already holds
    for (int64_t t = 0; t < K; ++t) {
        const int64_t src = flip ? i - t + pad : i + t - pad;
        if (src >= 0 && src < N) acc += w[t] * x[src * D + d];
    }
    return acc;
}

template <class T>
void check_rows(int64_t N, int64_t D, int64_t K) {
    std::vector<T> x(N * D), w(K);
    for (size_t j = 0; j < x.size(); ++j)
        x[j] = T(0.001) * static_cast<T>((j * 37) % 101) - T(0.05);
    for (int64_t t = 0; t < K; ++t)
        w[t] = T(0.1) * static_cast<T>(t % 7) - T(0.3);
    for (bool flip : {false, true}) {
        for (int64_t i = 0; i < N; ++i) {
            std::vector<T> row(D, T(0.25));
            if (flip)
                conv_seq_row_backward_input(x.data(), w.data(), row.data(), i, N, D, K);
            else
                conv_seq_row_forward(x.data(), w.data(), row.data(), i, N, D, K);
            for (int64_t d = 0; d < D; ++d) {
                // same terms in the same order; only FMA contraction may differ
                const double tol = sizeof(T) == 4 ? 1e-6 : 1e-14;
                ASSERT_NEAR(row[d], definition(x, w, i, d, N, D, flip), tol)
                    << "N " << N << " D " << D << " K " << K << " flip " << flip << " i " << i
                    << " d " << d;
            }
        }
    }
}

TEST(ConvSeqRow, FloatMatchesTheDefinitionOnVectorAndTailChannels) {
    for (int64_t D : {1, 8, 32, 45, 64}) {
        check_rows<float>(40, D, 35);
        check_rows<float>(9, D, 35);  // filter longer than the sequence
        check_rows<float>(17, D, 3);
    }
}

TEST(ConvSeqRow, DoubleMatchesTheDefinitionOnVectorAndTailChannels) {
    for (int64_t D : {3, 16, 20, 32}) {
        check_rows<double>(40, D, 35);
        check_rows<double>(9, D, 5);
    }
}

// The all-taps filter gradient (row blocks in L1) equals the per-tap one bit for bit when the
// channels fill whole lanes: same accumulators, same order. Sequences shorter than, equal to and
// longer than a row block, and filters longer than the sequence.
template <class T>
void check_weight_grad_taps(int64_t N, int64_t D, int64_t K) {
    std::vector<T> x(N * D), dy(N * D), lanes(K * 32), dw(K);
    for (size_t j = 0; j < x.size(); ++j) {
        x[j] = T(0.001) * static_cast<T>((j * 37) % 101) - T(0.05);
        dy[j] = T(0.002) * static_cast<T>((j * 53) % 89) - T(0.07);
    }
    conv_seq_weight_grad_taps(x.data(), dy.data(), N, D, K, lanes.data(), dw.data());
    for (int64_t t = 0; t < K; ++t) {
        const T expected = conv_seq_weight_grad(x.data(), dy.data(), t, N, D, K);
        if (D % 32 == 0) {
            ASSERT_EQ(dw[t], expected) << "N " << N << " D " << D << " K " << K << " tap " << t;
        } else {  // the scalar channel tail may be FMA-contracted differently in the two loops
            ASSERT_NEAR(dw[t], expected, sizeof(T) == 4 ? 1e-6 : 1e-15)
                << "N " << N << " D " << D << " K " << K << " tap " << t;
        }
    }
}

TEST(ConvSeqRow, AllTapsWeightGradEqualsThePerTapOne) {
    for (int64_t D : {1, 32, 45, 64}) {
        for (int64_t N : {9, 32, 100}) {
            check_weight_grad_taps<float>(N, D, 35);
            check_weight_grad_taps<double>(N, D, 5);
        }
    }
}

}  // namespace
}  // namespace lm::kernels
