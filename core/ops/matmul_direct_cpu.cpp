#include "core/ops/matmul_direct_cpu.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace lm::cpu {

namespace {

// Eight floats: AVX2/FMA intrinsics where the build targets them (the default -march=native
// here), else GCC vector extensions (same results up to FMA contraction).
#if defined(__AVX2__) && defined(__FMA__)
using V = __m256;
inline V vload(const float* p) {
    return _mm256_loadu_ps(p);
}
inline void vstore(float* p, V v) {
    _mm256_storeu_ps(p, v);
}
inline V vsplat(float x) {
    return _mm256_set1_ps(x);
}
inline V vzero() {
    return _mm256_setzero_ps();
}
inline V vfma(V a, V b, V c) {
    return _mm256_fmadd_ps(a, b, c);
}
inline V vmul(V a, V b) {
    return _mm256_mul_ps(a, b);
}
inline V vadd(V a, V b) {
    return _mm256_add_ps(a, b);
}
#else
typedef float V __attribute__((vector_size(32)));
inline V vload(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
}
inline void vstore(float* p, V v) {
    std::memcpy(p, &v, sizeof(V));
}
inline V vsplat(float x) {
    return V{} + x;
}
inline V vzero() {
    return V{};
}
inline V vfma(V a, V b, V c) {
    return a * b + c;
}
inline V vmul(V a, V b) {
    return a * b;
}
inline V vadd(V a, V b) {
    return a + b;
}
#endif

constexpr int kRows = 6;        // rows of C per register block
constexpr int64_t kPanel = 16;  // columns of C per register block: two vectors
// Inner-dim chunks: a whole inner dim up to 256; longer ones (weight gradients, attention
// outputs) in chunks of 64, so the chunk of A and of B together stay in L1.
constexpr int64_t kWholeDepth = 256, kDepth = 64;

// One register block's operands: R rows of A from `a`, a kc x 16 panel of B from `b`.
struct Block {
    const float* a;
    int64_t a_rs, a_cs;
    const float* b;
    int64_t b_rs;
    int64_t kc;
};

// acc[r] = sum_k A[r][k] B[k][0..16), k in order.
template <int R>
inline void multiply_block(const Block& blk, V (&acc)[kRows][2]) {
    for (int r = 0; r < R; ++r)
        acc[r][0] = acc[r][1] = vzero();
    const float* a = blk.a;
    const float* b = blk.b;
    for (int64_t k = 0; k < blk.kc; ++k, a += blk.a_cs, b += blk.b_rs) {
        const V b0 = vload(b), b1 = vload(b + 8);
        for (int r = 0; r < R; ++r) {
            const V x = vsplat(a[r * blk.a_rs]);
            acc[r][0] = vfma(x, b0, acc[r][0]);
            acc[r][1] = vfma(x, b1, acc[r][1]);
        }
    }
}

// Where a block's sums go: the first chunk writes alpha acc + beta C (C unread when beta == 0),
// later chunks add alpha acc.
struct Store {
    float* c;
    int64_t ldc, width;  // width <= 16 valid columns
    float alpha, beta;
    bool first;
    const float* bias;  // the block's 16 (width) bias values, or null
};

// The value stored at `old` for sums `sum` (alpha applied): first chunk sum + bias, or
// sum + beta old; later chunks old + sum.
inline V combine(V sum, const float* old, const float* bias, const Store& s) {
    if (!s.first) return vadd(vload(old), sum);
    if (bias) return vadd(sum, vload(bias));
    if (s.beta == 0.0f) return sum;
    return vfma(vsplat(s.beta), vload(old), sum);
}

inline float combine(float sum, float old, const float* bias, const Store& s) {
    if (!s.first) return old + sum;
    if (bias) return sum + *bias;
    return s.beta == 0.0f ? sum : sum + s.beta * old;
}

template <int R>
inline void store_block(V (&acc)[kRows][2], const Store& s) {
    const V alpha = vsplat(s.alpha);
    const float* bias = s.bias;
    for (int r = 0; r < R; ++r) {
        float* row = s.c + r * s.ldc;
        if (s.width == kPanel) {
            vstore(row, combine(vmul(alpha, acc[r][0]), row, bias, s));
            vstore(row + 8, combine(vmul(alpha, acc[r][1]), row + 8, bias ? bias + 8 : bias, s));
            continue;
        }
        float sums[kPanel];
        vstore(sums, vmul(alpha, acc[r][0]));
        vstore(sums + 8, vmul(alpha, acc[r][1]));
        for (int64_t j = 0; j < s.width; ++j)
            row[j] = combine(sums[j], row[j], bias ? bias + j : bias, s);
    }
}

template <int R>
void run_block(const Block& blk, const Store& s) {
    V acc[kRows][2];
    multiply_block<R>(blk, acc);
    store_block<R>(acc, s);
}

void run_rows(int rows, const Block& blk, const Store& s) {
    switch (rows) {
        case 6:
            return run_block<6>(blk, s);
        case 5:
            return run_block<5>(blk, s);
        case 4:
            return run_block<4>(blk, s);
        case 3:
            return run_block<3>(blk, s);
        case 2:
            return run_block<2>(blk, s);
        default:
            return run_block<1>(blk, s);
    }
}

// Rows k0..k0+kc of B as panels of 16 columns, panel-major, zero-padded past N.
void pack_b(const DirectGemm& g, int64_t k0, int64_t kc, std::vector<float>& packed) {
    const int64_t panels = (g.N + kPanel - 1) / kPanel;
    packed.assign(static_cast<size_t>(panels * kc * kPanel), 0.0f);
    for (int64_t p = 0; p < panels; ++p) {
        const int64_t j1 = std::min(g.N, (p + 1) * kPanel);
        float* dst = packed.data() + p * kc * kPanel;
        for (int64_t k = 0; k < kc; ++k) {
            const float* src = g.b + (k0 + k) * g.b_rs;
            for (int64_t j = p * kPanel; j < j1; ++j)
                dst[k * kPanel + j - p * kPanel] = src[j * g.b_cs];
        }
    }
}

// C = beta C (or the bias) for an empty inner dim.
void scale_c(const DirectGemm& g) {
    for (int64_t i = 0; i < g.M; ++i)
        for (int64_t j = 0; j < g.N; ++j) {
            float& c = g.c[i * g.ldc + j];
            c = g.bias ? g.bias[j] : g.beta == 0.0f ? 0.0f : g.beta * c;
        }
}

}  // namespace

bool direct_gemm_suits(int64_t M, int64_t N, int64_t K) {
    return N <= 256 && std::min(M, K) <= 256;
}

void direct_gemm(const DirectGemm& g) {
    if (g.M == 0 || g.N == 0) return;
    if (g.K == 0) return scale_c(g);
    const bool pack = g.b_cs != 1 || g.N % kPanel != 0;
    thread_local std::vector<float> packed;
    const int64_t depth = g.K <= kWholeDepth ? g.K : kDepth;
    for (int64_t k0 = 0; k0 < g.K; k0 += depth) {
        const int64_t kc = std::min(depth, g.K - k0);
        if (pack) pack_b(g, k0, kc, packed);
        for (int64_t i0 = 0; i0 < g.M; i0 += kRows) {
            const int rows = static_cast<int>(std::min<int64_t>(kRows, g.M - i0));
            for (int64_t j0 = 0; j0 < g.N; j0 += kPanel) {
                const Block blk{g.a + i0 * g.a_rs + k0 * g.a_cs,
                                g.a_rs,
                                g.a_cs,
                                pack ? packed.data() + j0 * kc : g.b + k0 * g.b_rs + j0,
                                pack ? kPanel : g.b_rs,
                                kc};
                const Store s{g.c + i0 * g.ldc + j0,
                              g.ldc,
                              std::min(kPanel, g.N - j0),
                              g.alpha,
                              g.beta,
                              k0 == 0,
                              g.bias ? g.bias + j0 : nullptr};
                run_rows(rows, blk, s);
            }
        }
    }
}

}  // namespace lm::cpu
