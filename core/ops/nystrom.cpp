// Nystrom attention forward and fused backward, written once over device-dispatched batched
// primitives (GEMM, row softmax, landmark means), so the same code runs on CPU and CUDA.
// Shape legend: S = B*H slices, N sequence, D head dim, m landmarks.
#include <cmath>

#include "core/ops/elementwise.h"
#include "core/ops/matmul.h"
#include "core/ops/nystrom.h"
#include "core/ops/reduce.h"
#include "core/ops/softmax.h"
#include "core/tensor/factory.h"

namespace lm::ops {

namespace {

using kernels::BinaryOp;
using kernels::UnaryOp;

// alpha a @ b for 3-D (possibly transposed) views.
Tensor bmm(const Tensor& a, const Tensor& b, double alpha = 1.0) {
    Tensor c = empty({std::max(a.size(0), b.size(0)), a.size(1), b.size(2)}, a.dtype(), a.device());
    gemm_into(c, a, b, alpha);
    return c;
}

// c += a @ b
void bmm_add(const Tensor& c, const Tensor& a, const Tensor& b, double alpha = 1.0) {
    gemm_into(c, a, b, alpha, 1.0);
}

Tensor scale(const Tensor& x, double s) {
    return unary(UnaryOp::Affine, x, s, 0.0);
}
Tensor add(const Tensor& a, const Tensor& b) {
    return binary(BinaryOp::Add, a, b);
}
Tensor sub(const Tensor& a, const Tensor& b) {
    return binary(BinaryOp::Sub, a, b);
}
Tensor mul(const Tensor& a, const Tensor& b) {
    return binary(BinaryOp::Mul, a, b);
}

// mask[b, n] * s as [B, 1, N, 1]: one multiply pass over x instead of a mask and a scale pass
// (mask is 0/1, so x * (mask s) rounds exactly like (x mask) s).
Tensor scaled_mask(const Tensor& mask, double s) {
    return scale(mask.detach(), s).view({mask.size(0), 1, mask.size(1), 1});
}

// x [B, H, N, D] * mask[b, n] * s, as [S, N, D].
Tensor mask_scale(const Tensor& x, const Tensor& mask, double s) {
    return mul(x, scaled_mask(mask, s)).view({x.size(0) * x.size(1), x.size(2), x.size(3)});
}

// scores [S, R, M] + bias [B, 1, R or 1, M] (an empty-slot bias of LandmarkSegments), in place;
// nothing when the bias is undefined (every example uses every slot).
void add_slot_bias(const Tensor& scores, const Tensor& bias) {
    if (!bias.defined()) return;
    const int64_t B = bias.size(0);
    Tensor per_example = scores.view({B, scores.size(0) / B, scores.size(1), scores.size(2)});
    binary_into(BinaryOp::Add, per_example, bias);
}

// k * I for an m x m identity (broadcast over slices).
Tensor scaled_eye(int64_t m, double k, const Tensor& like) {
    return scale(eye(m, {like.dtype(), like.device()}), k);
}

// The products of one iteration Z' = Z U3 / 4 (kept in this order by iterative_pinv):
// T = A Z, U1 = 7I - T, U2 = 15I - T U1, U3 = 13I - T U2.
struct PinvStep {
    Tensor T, U1, U2, U3;
};

PinvStep pinv_step(const Tensor& A, const Tensor& Z) {
    const int64_t m = A.size(1);
    PinvStep p;
    p.T = bmm(A, Z);
    p.U1 = sub(scaled_eye(m, 7, A), p.T);
    p.U2 = sub(scaled_eye(m, 15, A), bmm(p.T, p.U1));
    p.U3 = sub(scaled_eye(m, 13, A), bmm(p.T, p.U2));
    return p;
}

}  // namespace

std::vector<Tensor> iterative_pinv(const Tensor& A,
                                   int iterations,
                                   PinvInit init,
                                   Tensor* c,
                                   int64_t* c_slice,
                                   int64_t* c_col,
                                   std::vector<Tensor>* products) {
    LM_CHECK(init != PinvInit::AbsNorms,
             "iterative_pinv: A is row-stochastic; use Global or PerMatrix");
    const int64_t S = A.size(0), m = A.size(1);
    const Tensor colsum = sum(A, {1});  // [S, m]: sum_i A[s, i, j]
    if (init == PinvInit::Global) {
        auto [val, idx] = max(colsum.view({S * m}), 0);
        const int64_t flat = static_cast<int64_t>(idx.item());
        *c_slice = flat / m;
        *c_col = flat % m;
        *c = full({S}, val.item(), {A.dtype(), A.device()});
    } else {
        auto [val, idx] = max(colsum, 1);
        *c = val;
    }
    std::vector<Tensor> Z;
    Z.push_back(binary(BinaryOp::Div, contiguous(A.mT()), c->view({S, 1, 1})));  // Z0 = A^T / c
    for (int it = 0; it < iterations; ++it) {
        const PinvStep p = pinv_step(A, Z.back());
        Z.push_back(bmm(Z.back(), p.U3, 0.25));
        if (products) products->insert(products->end(), {p.T, p.U1, p.U2, p.U3});
    }
    return Z;
}

Tensor iterative_pinv_backward(const Tensor& A,
                               const std::vector<Tensor>& Z,
                               const Tensor& c,
                               PinvInit init,
                               int64_t c_slice,
                               int64_t c_col,
                               const Tensor& dZ_in,
                               const std::vector<Tensor>* products) {
    const int64_t S = A.size(0), m = A.size(1);
    LM_CHECK(!products || products->size() == 4 * (Z.size() - 1),
             "iterative_pinv_backward: expected 4 saved products per iteration, got ",
             products ? products->size() : 0, " for ", Z.size() - 1, " iterations");
    Tensor dA = zeros(A.shape(), {A.dtype(), A.device()});
    Tensor dZ = contiguous(dZ_in);
    for (int it = static_cast<int>(Z.size()) - 2; it >= 0; --it) {
        // Z' = Z U3 / 4, U3 = 13I - T U2, U2 = 15I - T U1, U1 = 7I - T, T = A Z
        const Tensor& Zj = Z[it];
        const Tensor* saved = products ? products->data() + 4 * it : nullptr;
        const PinvStep p =
            saved ? PinvStep{saved[0], saved[1], saved[2], saved[3]} : pinv_step(A, Zj);
        const Tensor &T = p.T, &U1 = p.U1, &U2 = p.U2, &U3 = p.U3;
        const Tensor dU3 = bmm(Zj.mT(), dZ, 0.25);
        Tensor dZj = bmm(dZ, U3.mT(), 0.25);
        Tensor dT = bmm(dU3, U2.mT(), -1.0);  // from U3 = 13I - T U2
        const Tensor dU2 = bmm(T.mT(), dU3, -1.0);
        bmm_add(dT, dU2, U1.mT(), -1.0);  // from U2 = 15I - T U1
        const Tensor dU1 = bmm(T.mT(), dU2, -1.0);
        binary_into(BinaryOp::Sub, dT, dU1);  // from U1 = 7I - T
        bmm_add(dA, dT, Zj.mT());             // from T = A Z
        bmm_add(dZj, A.mT(), dT);
        dZ = dZj;
    }
    // Z0 = A^T / c: dA += dZ0^T / c, dc = -sum(dZ0 * A^T) / c^2, and c is a column sum of A.
    const Tensor cv = c.view({S, 1, 1});
    binary_into(BinaryOp::Add, dA, binary(BinaryOp::Div, contiguous(dZ.mT()), cv));
    Tensor dc = sum(mul(dZ, A.mT()), {1, 2});  // [S]
    dc = scale(binary(BinaryOp::Div, dc, mul(c, c)), -1.0);
    Tensor cols;
    if (init == PinvInit::Global) {
        // one scalar c for the whole batch: all slices' dc land on its argmax column
        const double total = sum(dc).item();
        dc = zeros({S}, {A.dtype(), A.device()});
        fill(dc.detach().narrow(0, c_slice, 1), total);
        cols = full({S}, static_cast<double>(c_col), {DType::Int64, A.device()});
    } else {
        cols = max(sum(A, {1}), 1).second;
    }
    const Tensor onehot = cast(binary(BinaryOp::Eq, cols.view({S, 1, 1}),
                                      arange(m, {DType::Int64, A.device()}).view({1, 1, m})),
                               A.dtype());
    binary_into(BinaryOp::Add, dA, mul(dc.view({S, 1, 1}), onehot));  // every row of column j*
    return dA;
}

Tensor nystrom_attention_forward(const Tensor& q,
                                 const Tensor& k,
                                 const Tensor& v,
                                 const Tensor& mask,
                                 const NystromConfig& cfg,
                                 NystromState* st) {
    const int64_t B = q.size(0), H = q.size(1), N = q.size(2), D = q.size(3);
    const int64_t S = B * H;
    LandmarkSegments seg = landmark_segments(mask, cfg.landmarks, cfg.mode);
    const int64_t m = seg.landmarks();
    const double s = 1.0 / std::sqrt(std::sqrt(static_cast<double>(D)));
    const Tensor Qs = mask_scale(q, mask, s), Ks = mask_scale(k, mask, s);
    const Tensor Ql = landmark_mean(Qs, seg), Kl = landmark_mean(Ks, seg);
    Tensor S1 = bmm(Qs, Kl.mT());  // [S, N, m]
    add_slot_bias(S1, seg.landmark_bias);
    Tensor F = softmax(S1);
    Tensor S2 = bmm(Ql, Kl.mT());  // [S, m, m]
    add_slot_bias(S2, seg.pair_bias);
    Tensor A = softmax(S2);
    Tensor S3 = add(bmm(Ql, Ks.mT()).view({B, H, m, N}), key_bias(mask, -1e9));
    Tensor Bk = softmax(S3).view({S, m, N});  // [S, m, N]
    Tensor c;
    int64_t c_slice = 0, c_col = 0;
    std::vector<Tensor> products;  // kept for the backward only when training
    std::vector<Tensor> Z =
        iterative_pinv(A, cfg.iterations, cfg.init, &c, &c_slice, &c_col, st ? &products : nullptr);
    const Tensor V = contiguous(v).view({S, N, D});
    Tensor W = bmm(Bk, V);  // [S, m, D]
    // F (Z W) rather than the reference's (F Z) W: the same product up to rounding, without
    // the [S, N, m] x [m, m] GEMM (2 N m^2 flops per slice instead of 2 m^2 D).
    Tensor out = bmm(F, bmm(Z.back(), W));
    if (st) {
        *st = NystromState{cfg,
                           std::move(seg),
                           v,
                           mask,
                           Qs,
                           Ks,
                           Ql,
                           Kl,
                           F,
                           A,
                           Bk,
                           W,
                           std::move(Z),
                           c,
                           c_slice,
                           c_col,
                           std::move(products)};
    }
    return out.view({B, H, N, D});
}
AttentionGrads nystrom_attention_backward(const NystromState& st, const Tensor& dout) {
    const Tensor& v = st.v;  // [B, H, N, D] like q and k
    const int64_t B = v.size(0), H = v.size(1), N = v.size(2), D = v.size(3);
    const int64_t S = B * H;
    const double s = 1.0 / std::sqrt(std::sqrt(static_cast<double>(D)));
    const Tensor G = contiguous(dout).view({S, N, D});
    const Tensor V = contiguous(v).view({S, N, D});
    const Tensor& Zf = st.Z.back();
    // out = F Y with Y = Z W, W = Bk V
    const Tensor Y = bmm(Zf, st.W);
    const Tensor dF = bmm(G, Y.mT());
    const Tensor dY = bmm(st.F.mT(), G);
    const Tensor dZ = bmm(dY, st.W.mT());
    const Tensor dW = bmm(Zf.mT(), dY);
    const Tensor dBk = bmm(dW, V.mT());
    Tensor dV = bmm(st.Bk.mT(), dW);
    const Tensor dA = iterative_pinv_backward(st.A, st.Z, st.c, st.cfg.init, st.c_slice, st.c_col,
                                              dZ, &st.pinv_products);
    const Tensor dS1 = softmax_backward(st.F, dF);
    const Tensor dS2 = softmax_backward(st.A, dA);
    const Tensor dS3 = softmax_backward(st.Bk, dBk);
    // scores: S1 = Qs Kl^T, S2 = Ql Kl^T, S3 = Ql Ks^T
    const Tensor &Qs = st.Qs, &Ks = st.Ks, &Ql = st.Ql, &Kl = st.Kl;
    Tensor dQs = bmm(dS1, Kl);
    Tensor dKl = bmm(dS1.mT(), Qs);
    Tensor dQl = bmm(dS2, Kl);
    bmm_add(dKl, dS2.mT(), Ql);
    bmm_add(dQl, dS3, Ks);
    Tensor dKs = bmm(dS3.mT(), Ql);
    landmark_mean_backward_add(dQs, dQl, st.segments);
    landmark_mean_backward_add(dKs, dKl, st.segments);
    const Tensor mask4 = scaled_mask(st.mask, s);
    AttentionGrads g;
    g.dq = mul(dQs.view({B, H, N, D}), mask4);
    g.dk = mul(dKs.view({B, H, N, D}), mask4);
    g.dv = dV.view({B, H, N, D});
    return g;
}

}  // namespace lm::ops
