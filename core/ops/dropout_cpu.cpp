// CPU dropout: keep decisions drawn a Philox block at a time (philox_block_cpu.h), optionally
// stored as 1 bit per element for the backward.
#include <algorithm>
#include <cstring>

#include "core/base/parallel.h"
#include "core/ops/dispatch.h"
#include "core/ops/dropout_backend.h"
#include "core/ops/philox_block_cpu.h"

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

}  // namespace lm::cpu
