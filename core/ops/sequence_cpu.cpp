// CPU launchers of dropout and the depthwise sequence convolution. The filter gradient is
// summed per (batch, head) slice and the slices are combined in order (thread-count independent).
#include <cstring>
#include <vector>

#include "core/base/parallel.h"
#include "core/kernels/conv_seq.h"
#include "core/ops/dispatch.h"
#include "core/ops/philox_block_cpu.h"
#include "core/ops/sequence_impl.h"

namespace lm::cpu {

namespace {

// Keep decisions of block `blk` (elements 32 blk ..) as bits, bit j for element 32 blk + j:
// element i is kept when its Philox uniform is >= p. Whole blocks share one vectorised
// generator call (philox_block_cpu.h), the ragged end goes group by group; the draws are the
// same either way (and the same as the GPU's).
uint32_t dropout_bits(uint64_t seed, uint64_t offset, int64_t blk, int64_t n, float p) {
    const int64_t i0 = blk * kPhiloxBlock;
    uint32_t bits = 0;
    if (i0 + kPhiloxBlock <= n) {
        alignas(32) float u[kPhiloxBlock];
        philox_unit_floats32(seed, offset + static_cast<uint64_t>(i0) / 4, u);
#if defined(__AVX2__)
        const __m256 pv = _mm256_set1_ps(p);  // 8 comparisons -> 8 mask bits per movemask
        for (int j = 0; j < kPhiloxBlock; j += 8) {
            const __m256 keep = _mm256_cmp_ps(_mm256_load_ps(u + j), pv, _CMP_GE_OQ);
            bits |= static_cast<uint32_t>(_mm256_movemask_ps(keep)) << j;
        }
#else
        for (int j = 0; j < kPhiloxBlock; ++j)
            bits |= static_cast<uint32_t>(u[j] >= p) << j;
#endif
        return bits;
    }
    for (int64_t i = i0; i < n; i += 4) {
        const kernels::Philox4 r = kernels::philox4x32(seed, offset + static_cast<uint64_t>(i) / 4);
        for (int64_t j = 0; j < 4 && i + j < n; ++j) {
            const bool keep = kernels::uint_to_unit_float(r.v[j]) >= p;
            bits |= static_cast<uint32_t>(keep) << (i + j - i0);
        }
    }
    return bits;
}

// out = in * (bit ? scale : 0) over one block of up to 32 elements (x * mask * scale: NaN stays
// NaN, as in torch). `omp simd`: the compiler cannot prove in and out apart; same-index reads
// and writes are safe in place.
template <class T>
void apply_bits(const T* in, T* out, uint32_t bits, int64_t count, T scale) {
#pragma omp simd
    for (int64_t j = 0; j < count; ++j)
        out[j] = in[j] * (((bits >> j) & 1u) ? scale : T(0));
}

// Dropout of x into out, block by block; the blocks' keep bits also go to `words` when given.
void dropout_blocks(
    const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset, uint32_t* words) {
    const int64_t n = x.numel();
    dispatch_floating(x.dtype(), "dropout", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data<T>();
        T* op = out.data<T>();
        const T scale = static_cast<T>(1.0 / (1.0 - p));
        const float pf = static_cast<float>(p);
        parallel_for(0, (n + kPhiloxBlock - 1) / kPhiloxBlock, 128, [&](int64_t b, int64_t e) {
            for (int64_t blk = b; blk < e; ++blk) {
                const int64_t i0 = blk * kPhiloxBlock;
                const uint32_t bits = dropout_bits(seed, offset, blk, n, pf);
                if (words) words[blk] = bits;
                apply_bits(xp + i0, op + i0, bits, std::min<int64_t>(kPhiloxBlock, n - i0), scale);
            }
        });
    });
}

}  // namespace

void dropout(const Tensor& out, const Tensor& x, double p, uint64_t seed, uint64_t offset) {
    dropout_blocks(out, x, p, seed, offset, nullptr);
}

void dropout_keep_bits(const Tensor& bits,
                       const Tensor& out,
                       const Tensor& x,
                       double p,
                       uint64_t seed,
                       uint64_t offset) {
    dropout_blocks(out, x, p, seed, offset, static_cast<uint32_t*>(bits.raw_data()));
}

void dropout_apply_bits(const Tensor& out, const Tensor& x, const Tensor& bits, double p) {
    const int64_t n = x.numel();
    dispatch_floating(x.dtype(), "dropout backward", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data<T>();
        T* op = out.data<T>();
        const auto* words = static_cast<const uint32_t*>(bits.raw_data());
        const T scale = static_cast<T>(1.0 / (1.0 - p));
        parallel_for(0, bits.numel(), 512, [&](int64_t b, int64_t e) {
            for (int64_t blk = b; blk < e; ++blk) {
                const int64_t i0 = blk * kPhiloxBlock;
                apply_bits(xp + i0, op + i0, words[blk], std::min<int64_t>(kPhiloxBlock, n - i0),
                           scale);
            }
        });
    });
}

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
