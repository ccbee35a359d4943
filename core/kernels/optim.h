// Optimizer updates of one parameter element, and the element math of gradient clipping. One
// definition serves the CPU loops (ops/optim_cpu.cpp) and the CUDA kernels.
//
// The formulas and their order of operations follow PyTorch 1.13's single-tensor optimizers
// (torch.optim.AdamW, Adam, SGD), so that float64 results agree to the last bits:
//   Adam  (L2):        g = g + wd p
//   AdamW (decoupled): p = p (1 - lr wd)
//   m = beta1 m + (1 - beta1) g,  v = beta2 v + (1 - beta2) g^2
//   p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//   SGD: d = g + wd p; b = t == 1 ? d : mu b + d; d = nesterov ? d + mu b : b; p = p - lr d
#pragma once

#include <cmath>
#include <cstdint>

#include "core/base/hd.h"

namespace lm::kernels {

LM_HD float optim_sqrt(float x) {
    return sqrtf(x);
}
LM_HD double optim_sqrt(double x) {
    return std::sqrt(x);
}

// Per-tensor scalars of one Adam/AdamW step, computed on the host in double as PyTorch does.
struct AdamCoeffs {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    double l2 = 0;                     // Adam: weight decay added to the gradient
    double decay_factor = 1;           // AdamW: 1 - lr * wd
    double step_size = 0;              // lr / (1 - beta1^t)
    double bias_correction2_sqrt = 1;  // sqrt(1 - beta2^t)
};

// `step` is the parameter's step count after this update (1 on its first update).
inline AdamCoeffs adam_coeffs(double lr,
                              double beta1,
                              double beta2,
                              double eps,
                              double weight_decay,
                              int64_t step,
                              bool decoupled) {
    AdamCoeffs c;
    c.beta1 = beta1;
    c.beta2 = beta2;
    c.eps = eps;
    c.l2 = decoupled ? 0.0 : weight_decay;
    c.decay_factor = decoupled ? 1.0 - lr * weight_decay : 1.0;
    const double t = static_cast<double>(step);
    c.step_size = lr / (1.0 - std::pow(beta1, t));
    c.bias_correction2_sqrt = std::sqrt(1.0 - std::pow(beta2, t));
    return c;
}

// p, m, v updated in place from gradient g. Scalars are cast to T once, as PyTorch casts its
// Python-float scalars to the tensor's dtype.
template <class T>
struct AdamUpdate {
    T beta1, one_minus_beta1, beta2, one_minus_beta2, eps, l2, decay_factor, neg_step_size,
        bias_correction2_sqrt;

    explicit AdamUpdate(const AdamCoeffs& c)
        : beta1(T(c.beta1)),
          one_minus_beta1(T(1.0 - c.beta1)),
          beta2(T(c.beta2)),
          one_minus_beta2(T(1.0 - c.beta2)),
          eps(T(c.eps)),
          l2(T(c.l2)),
          decay_factor(T(c.decay_factor)),
          neg_step_size(T(-c.step_size)),
          bias_correction2_sqrt(T(c.bias_correction2_sqrt)) {}

    LM_HD void operator()(T& p, T g, T& m, T& v) const {
        g = l2 != T(0) ? g + l2 * p : g;  // grad.add(param, alpha=wd)
        T pv = p * decay_factor;          // param.mul_(1 - lr wd)
        const T mv = m * beta1 + one_minus_beta1 * g;
        const T vv = v * beta2 + one_minus_beta2 * g * g;
        const T denom = optim_sqrt(vv) / bias_correction2_sqrt + eps;
        pv = pv + neg_step_size * mv / denom;  // addcdiv: p + value * m / denom
        p = pv;
        m = mv;
        v = vv;
    }
};

struct SgdCoeffs {
    double lr = 0, momentum = 0, weight_decay = 0;
    bool nesterov = false;
    bool first_step = false;  // the buffer starts as a copy of the first direction
};

// p (and the momentum buffer b, when momentum != 0) updated in place from gradient g.
template <class T>
struct SgdUpdate {
    T neg_lr, momentum, weight_decay;
    bool nesterov, first_step;

    explicit SgdUpdate(const SgdCoeffs& c)
        : neg_lr(T(-c.lr)),
          momentum(T(c.momentum)),
          weight_decay(T(c.weight_decay)),
          nesterov(c.nesterov),
          first_step(c.first_step) {}

    LM_HD T direction(T p, T g) const { return weight_decay != T(0) ? g + weight_decay * p : g; }

    LM_HD void operator()(T& p, T g, T& b) const {
        T d = direction(p, g);
        const T bv = first_step ? d : b * momentum + d;  // buf.mul_(mu).add_(d, alpha=1)
        d = nesterov ? d + momentum * bv : bv;
        b = bv;
        p = p + neg_lr * d;
    }

    // Plain SGD (momentum == 0): no buffer.
    LM_HD void operator()(T& p, T g) const { p = p + neg_lr * direction(p, g); }
};

// Contribution of one gradient element to the squared global norm, in double.
template <class T>
LM_HD double grad_square(T x) {
    const double d = static_cast<double>(x);
    return d * d;
}

template <class T>
struct ScaleBy {  // x = s x
    T s;
    LM_HD void operator()(T& x) const { x = x * s; }
};

template <class T>
struct ClampTo {  // x = min(max(x, lo), hi); NaN stays NaN as in torch.clamp
    T lo, hi;
    LM_HD void operator()(T& x) const { x = x < lo ? lo : (x > hi ? hi : x); }
};

// Scale that clip-by-norm applies (torch.nn.utils.clip_grad_norm_): max_norm / (norm + 1e-6)
// when that is below 1, else 1 (no change).
LM_HD double clip_coefficient(double total_norm, double max_norm) {
    const double coef = max_norm / (total_norm + 1e-6);
    return coef < 1.0 ? coef : 1.0;
}

}  // namespace lm::kernels
