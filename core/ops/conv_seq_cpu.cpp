// CPU depthwise sequence convolution (kernels/conv_seq.h). The filter gradient is summed per
// (batch, head) slice and the slices are combined in order (thread-count independent).
#include <vector>

#include "core/base/parallel.h"
#include "core/kernels/conv_seq.h"
#include "core/ops/conv_seq_backend.h"
#include "core/ops/dispatch.h"

namespace lm::cpu {

void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w) {
    const int64_t BH = x.size(0) * x.size(1), H = x.size(1), N = x.size(2), D = x.size(3);
    const int64_t K = w.size(1);
    dispatch_floating(x.dtype(), "depthwise_conv_seq", [&](auto tag) {
        using T = decltype(tag);
        const T *xp = x.data<T>(), *wp = w.data<T>();
        T* yp = y.data<T>();
        // Each row is zeroed where it is accumulated (in the parallel loop, while it is in
        // L1), not by a serial memset of the whole output first.
        parallel_for(0, BH * N, std::max<int64_t>(1, 2048 / (D * K)), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                const int64_t s = r / N, i = r % N;
                std::memset(yp + r * D, 0, static_cast<size_t>(D) * sizeof(T));
                kernels::conv_seq_row_forward(xp + s * N * D, wp + (s % H) * K, yp + r * D, i, N, D,
                                              K);
            }
        });
    });
}

void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w) {
    const int64_t BH = dy.size(0) * dy.size(1), H = dy.size(1), N = dy.size(2), D = dy.size(3);
    const int64_t K = w.size(1);
    dispatch_floating(dy.dtype(), "depthwise_conv_seq backward", [&](auto tag) {
        using T = decltype(tag);
        const T *gp = dy.data<T>(), *wp = w.data<T>();
        T* dp = dx.data<T>();
        parallel_for(0, BH * N, std::max<int64_t>(1, 2048 / (D * K)), [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                const int64_t s = r / N, j = r % N;
                std::memset(dp + r * D, 0, static_cast<size_t>(D) * sizeof(T));
                kernels::conv_seq_row_backward_input(gp + s * N * D, wp + (s % H) * K, dp + r * D,
                                                     j, N, D, K);
            }
        });
    });
}

void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy) {
    const int64_t B = x.size(0), H = x.size(1), N = x.size(2), D = x.size(3), K = dw.size(1);
    dispatch_floating(x.dtype(), "depthwise_conv_seq backward", [&](auto tag) {
        using T = decltype(tag);
        const T *xp = x.data<T>(), *gp = dy.data<T>();
        std::vector<T> partial(static_cast<size_t>(B * H * K));
        parallel_for(0, B * H, 1, [&](int64_t b, int64_t e) {
            std::vector<T> lanes(static_cast<size_t>(K * 32));
            for (int64_t s = b; s < e; ++s) {
                kernels::conv_seq_weight_grad_taps(xp + s * N * D, gp + s * N * D, N, D, K,
                                                   lanes.data(), partial.data() + s * K);
            }
        });
        T* out = dw.data<T>();
        for (int64_t h = 0; h < H; ++h) {
            for (int64_t t = 0; t < K; ++t) {
                T acc = 0;
                for (int64_t bb = 0; bb < B; ++bb)
                    acc += partial[(bb * H + h) * K + t];
                out[h * K + t] = acc;
            }
        }
    });
}

}  // namespace lm::cpu
