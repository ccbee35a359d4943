#include "train/optim/clip.h"

#include <cmath>

#include "core/kernels/optim.h"
#include "core/ops/elementwise.h"
#include "core/ops/optim.h"

namespace lm::train {

namespace {
// The grad of `p` as a contiguous tensor that may be written in place (a strided grad is
// replaced by a contiguous copy), or undefined.
Tensor writable_grad(const Tensor& p) {
    Tensor g = p.grad();
    if (g.defined() && !g.is_contiguous()) {
        g = ops::contiguous(g);
        p.set_grad(g);
    }
    return g;
}
}  // namespace

double grad_norm(const std::vector<Tensor>& params) {
    double total = 0;  // summed in parameter order
    for (const Tensor& p : params) {
        const Tensor g = p.grad();
        if (g.defined()) total += ops::sum_of_squares(g);
    }
    return std::sqrt(total);
}

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm) {
    LM_CHECK(max_norm > 0, "clip_grad_norm: max_norm must be > 0, got ", max_norm);
    const double norm = grad_norm(params);
    if (!std::isfinite(norm)) return norm;
    const double coef = kernels::clip_coefficient(norm, max_norm);
    if (coef >= 1.0) return norm;
    for (const Tensor& p : params) {
        const Tensor g = writable_grad(p);
        if (!g.defined()) continue;
        ops::scale_in_place(g, coef);
        g.bump_version();
    }
    return norm;
}

void clip_grad_value(const std::vector<Tensor>& params, double limit) {
    LM_CHECK(limit > 0, "clip_grad_value: limit must be > 0, got ", limit);
    for (const Tensor& p : params) {
        const Tensor g = writable_grad(p);
        if (!g.defined()) continue;
        ops::clamp_in_place(g, -limit, limit);
        g.bump_version();
    }
}

}  // namespace lm::train
