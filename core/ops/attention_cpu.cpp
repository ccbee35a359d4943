// CPU kernels of the blocked exact softmax attention: scores of one block of query rows at a
// time, recomputed in backward.
#include <cmath>
#include <vector>

#include "core/base/parallel.h"
#include "core/kernels/attention.h"
#include "core/ops/attention_backend.h"
#include "core/ops/cpu_blas.h"
#include "core/ops/dispatch.h"
#include "core/ops/philox_block_cpu.h"

namespace lm::cpu {

namespace {

// Per-thread work buffers of the blocked softmax attention, kept across calls: a block's
// scores are R x N values (200 KB at N = 784), and allocating them per block costs more in
// page faults than the block's arithmetic.
template <class T>
struct BlockScratch {
    std::vector<T> P, dP, Pd;
    std::vector<uint8_t> keep;
};

template <class T>
BlockScratch<T>& block_scratch() {
    thread_local BlockScratch<T> scratch;
    return scratch;
}

// Per-slice constants of the blocked softmax attention.
template <class T>
struct SliceView {
    const T *q = nullptr, *k = nullptr, *v = nullptr;
    std::vector<T> key_bias;  // mask_value * (1 - mask_j)
};

template <class T>
SliceView<T> slice_view(const Tensor& q,
                        const Tensor& k,
                        const Tensor& v,
                        const Tensor& mask,
                        int64_t s,
                        const ops::SoftmaxAttentionConfig& cfg) {
    const int64_t H = q.size(1), N = q.size(2), D = q.size(3);
    SliceView<T> sv{q.data<T>() + s * N * D, k.data<T>() + s * N * D, v.data<T>() + s * N * D, {}};
    const T* mk = mask.data<T>() + (s / H) * N;
    sv.key_bias.resize(N);
    for (int64_t j = 0; j < N; ++j)
        sv.key_bias[j] = static_cast<T>(cfg.mask_value) * (T(1) - mk[j]);
    return sv;
}

// Applies the dropout mask of rows [r0, r0 + R) to probabilities P (in place), keeping `keep`.
template <class T>
void apply_dropout(T* P,
                   uint8_t* keep,
                   int64_t s,
                   int64_t r0,
                   int64_t R,
                   int64_t N,
                   const ops::SoftmaxAttentionConfig& cfg) {
    const T scale = static_cast<T>(1.0 / (1.0 - cfg.dropout));
    for (int64_t i = 0; i < R; ++i) {
        const uint64_t base = static_cast<uint64_t>((s * N + r0 + i) * N);
        philox_keep_row(keep + i * N, cfg.seed, cfg.offset, base, N,
                        static_cast<float>(cfg.dropout));
        for (int64_t j = 0; j < N; ++j)
            P[i * N + j] = keep[i * N + j] ? P[i * N + j] * scale : T(0);
    }
}

template <class T>
void forward_block(const SliceView<T>& sv,
                   T* out,
                   T* lse,
                   int64_t s,
                   int64_t r0,
                   int64_t R,
                   int64_t N,
                   int64_t D,
                   const ops::SoftmaxAttentionConfig& cfg,
                   BlockScratch<T>& scratch) {
    std::vector<T>& P = scratch.P;
    std::vector<uint8_t>& keep = scratch.keep;
    P.resize(R * N);
    gemm_rm<T>(false, true, R, N, D, static_cast<T>(cfg.scale), sv.q + r0 * D, D, sv.k, D, T(0),
               P.data(), N);
    for (int64_t i = 0; i < R; ++i) {
        lse[r0 + i] = kernels::attention_row_softmax(P.data() + i * N, sv.key_bias.data(), N);
    }
    if (cfg.dropout > 0) {
        keep.resize(R * N);
        apply_dropout(P.data(), keep.data(), s, r0, R, N, cfg);
    }
    gemm_rm<T>(false, false, R, D, N, T(1), P.data(), N, sv.v, D, T(0), out + r0 * D, D);
}

}  // namespace

void softmax_attention_forward(const Tensor& out,
                               const Tensor& lse,
                               const Tensor& q,
                               const Tensor& k,
                               const Tensor& v,
                               const Tensor& mask,
                               const ops::SoftmaxAttentionConfig& cfg) {
    const int64_t S = q.size(0) * q.size(1), N = q.size(2), D = q.size(3);
    const int64_t R = ops::kAttentionBlockRows, blocks = (N + R - 1) / R;
    dispatch_floating(q.dtype(), "softmax attention", [&](auto tag) {
        using T = decltype(tag);
        parallel_for(0, S * blocks, 1, [&](int64_t b, int64_t e) {
            BlockScratch<T>& scratch = block_scratch<T>();
            int64_t cur = -1;
            SliceView<T> sv;
            for (int64_t t = b; t < e; ++t) {
                const int64_t s = t / blocks, r0 = (t % blocks) * R;
                if (s != cur) {
                    sv = slice_view<T>(q, k, v, mask, s, cfg);
                    cur = s;
                }
                forward_block<T>(sv, out.data<T>() + s * N * D, lse.data<T>() + s * N, s, r0,
                                 std::min(R, N - r0), N, D, cfg, scratch);
            }
        });
    });
}

namespace {

struct BlockGrads {
    int64_t s, r0, R, N, D;
};

// One block of rows: recompute P, then dV += P~^T dO, dS = P (dP - rowsum(P dP)),
// dQ = scale dS K, dK += scale dS^T Q (P~ = P with dropout applied, dP = dropout'(dO V^T)).
template <class T>
void backward_block(const SliceView<T>& sv,
                    const T* lse,
                    const T* dO,
                    T* dq,
                    T* dk,
                    T* dv,
                    const BlockGrads& bg,
                    const ops::SoftmaxAttentionConfig& cfg,
                    BlockScratch<T>& scratch) {
    const int64_t R = bg.R, N = bg.N, D = bg.D, r0 = bg.r0;
    std::vector<T>& P = scratch.P;
    std::vector<T>& dP = scratch.dP;
    std::vector<uint8_t>& keep = scratch.keep;
    P.resize(R * N);
    dP.resize(R * N);
    gemm_rm<T>(false, true, R, N, D, static_cast<T>(cfg.scale), sv.q + r0 * D, D, sv.k, D, T(0),
               P.data(), N);
    for (int64_t i = 0; i < R; ++i) {
        kernels::attention_row_probs(P.data() + i * N, sv.key_bias.data(), lse[r0 + i], N);
    }
    gemm_rm<T>(false, true, R, N, D, T(1), dO + r0 * D, D, sv.v, D, T(0), dP.data(), N);
    if (cfg.dropout > 0) {
        keep.resize(R * N);
        std::vector<T>& Pd = scratch.Pd;
        Pd.assign(P.begin(), P.end());
        apply_dropout(Pd.data(), keep.data(), bg.s, r0, R, N, cfg);
        gemm_rm<T>(true, false, N, D, R, T(1), Pd.data(), N, dO + r0 * D, D, T(1), dv, D);
        const T scale = static_cast<T>(1.0 / (1.0 - cfg.dropout));
        for (int64_t x = 0; x < R * N; ++x)
            dP[x] = keep[x] ? dP[x] * scale : T(0);
    } else {
        gemm_rm<T>(true, false, N, D, R, T(1), P.data(), N, dO + r0 * D, D, T(1), dv, D);
    }
    for (int64_t i = 0; i < R; ++i) {  // dS overwrites dP
        T* p = P.data() + i * N;
        T* g = dP.data() + i * N;
        T dot = 0;
        for (int64_t j = 0; j < N; ++j)
            dot += p[j] * g[j];
        for (int64_t j = 0; j < N; ++j)
            g[j] = p[j] * (g[j] - dot);
    }
    const T sc = static_cast<T>(cfg.scale);
    gemm_rm<T>(false, false, R, D, N, sc, dP.data(), N, sv.k, D, T(0), dq + r0 * D, D);
    gemm_rm<T>(true, false, N, D, R, sc, dP.data(), N, sv.q + r0 * D, D, T(1), dk, D);
}

}  // namespace

void softmax_attention_backward(const Tensor& dq,
                                const Tensor& dk,
                                const Tensor& dv,
                                const Tensor& q,
                                const Tensor& k,
                                const Tensor& v,
                                const Tensor& mask,
                                const Tensor& /*out*/,
                                const Tensor& lse,
                                const Tensor& dout,
                                const ops::SoftmaxAttentionConfig& cfg) {
    const int64_t S = q.size(0) * q.size(1), N = q.size(2), D = q.size(3);
    const int64_t R = ops::kAttentionBlockRows;
    dispatch_floating(q.dtype(), "softmax attention backward", [&](auto tag) {
        using T = decltype(tag);
        // One slice per task: dK and dV of a slice sum over its row blocks in order.
        parallel_for(0, S, 1, [&](int64_t b, int64_t e) {
            BlockScratch<T>& scratch = block_scratch<T>();
            for (int64_t s = b; s < e; ++s) {
                const SliceView<T> sv = slice_view<T>(q, k, v, mask, s, cfg);
                const int64_t off = s * N * D;
                std::fill(dk.data<T>() + off, dk.data<T>() + off + N * D, T(0));
                std::fill(dv.data<T>() + off, dv.data<T>() + off + N * D, T(0));
                for (int64_t r0 = 0; r0 < N; r0 += R) {
                    backward_block<T>(sv, lse.data<T>() + s * N, dout.data<T>() + off,
                                      dq.data<T>() + off, dk.data<T>() + off, dv.data<T>() + off,
                                      {s, r0, std::min(R, N - r0), N, D}, cfg, scratch);
                }
            }
        });
    });
}

}  // namespace lm::cpu
