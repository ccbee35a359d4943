// Element-wise functions and their gradients. Broadcast inputs receive full-shape gradients;
// the engine sums them back to the input shape.
#include "core/autograd/functional.h"
#include "core/autograd/record.h"
#include "core/ops/elementwise.h"

namespace lm {

namespace {

using ops::BinaryOp;
using ops::UnaryOp;

Tensor bin(BinaryOp op, const Tensor& a, const Tensor& b) {
    return ops::binary(op, a, b);
}
Tensor scaled(const Tensor& x, double s) {
    return ops::unary(UnaryOp::Affine, x, s, 0.0);
}

// y = f(x); dx = unary_backward(x?, y?, dy) with whichever of x, y the op reads.
Tensor unary_fn(UnaryOp op, const char* name, const Tensor& x, double a = 0, double b = 0) {
    Tensor y = ops::unary(op, x, a, b);
    if (is_floating(x.dtype())) {
        SavedTensor sx = kernels::unary_grad_needs_input(op) ? x : Tensor();
        SavedTensor sy = kernels::unary_grad_needs_output(op) ? y : Tensor();
        record(name, {&x}, y, [op, a, b, sx, sy](const Tensor& dy) {
            return std::vector<Tensor>{ops::unary_backward(op, sx.get(), sy.get(), dy, a, b)};
        });
    }
    return y;
}

}  // namespace

Tensor neg(const Tensor& x) {
    return unary_fn(UnaryOp::Neg, "NegBackward", x);
}
Tensor exp(const Tensor& x) {
    return unary_fn(UnaryOp::Exp, "ExpBackward", x);
}
Tensor log(const Tensor& x) {
    return unary_fn(UnaryOp::Log, "LogBackward", x);
}
Tensor sqrt(const Tensor& x) {
    return unary_fn(UnaryOp::Sqrt, "SqrtBackward", x);
}
Tensor rsqrt(const Tensor& x) {
    return unary_fn(UnaryOp::Rsqrt, "RsqrtBackward", x);
}
Tensor tanh(const Tensor& x) {
    return unary_fn(UnaryOp::Tanh, "TanhBackward", x);
}
Tensor sigmoid(const Tensor& x) {
    return unary_fn(UnaryOp::Sigmoid, "SigmoidBackward", x);
}
Tensor relu(const Tensor& x) {
    return unary_fn(UnaryOp::Relu, "ReluBackward", x);
}
Tensor gelu(const Tensor& x, GeluApprox approx) {
    return approx == GeluApprox::Erf ? unary_fn(UnaryOp::GeluErf, "GeluBackward", x)
                                     : unary_fn(UnaryOp::GeluTanh, "GeluTanhBackward", x);
}
Tensor elu(const Tensor& x, double alpha) {
    return unary_fn(UnaryOp::Elu, "EluBackward", x, alpha);
}
Tensor softplus(const Tensor& x, double beta, double threshold) {
    LM_CHECK(beta > 0, "softplus: beta must be positive, got ", beta);
    return unary_fn(UnaryOp::Softplus, "SoftplusBackward", x, beta, threshold);
}
Tensor leaky_relu(const Tensor& x, double slope) {
    return unary_fn(UnaryOp::LeakyRelu, "LeakyReluBackward", x, slope);
}
Tensor abs(const Tensor& x) {
    return unary_fn(UnaryOp::Abs, "AbsBackward", x);
}
Tensor square(const Tensor& x) {
    return unary_fn(UnaryOp::Square, "SquareBackward", x);
}
Tensor reciprocal(const Tensor& x) {
    return unary_fn(UnaryOp::Reciprocal, "ReciprocalBackward", x);
}
Tensor log1p(const Tensor& x) {
    return unary_fn(UnaryOp::Log1p, "Log1pBackward", x);
}
Tensor expm1(const Tensor& x) {
    return unary_fn(UnaryOp::Expm1, "Expm1Backward", x);
}
Tensor pow(const Tensor& x, double exponent) {
    return unary_fn(UnaryOp::Pow, "PowBackward", x, exponent);
}
Tensor clamp(const Tensor& x, double lo, double hi) {
    LM_CHECK(lo <= hi, "clamp: lower bound ", lo, " exceeds upper bound ", hi);
    return unary_fn(UnaryOp::Clamp, "ClampBackward", x, lo, hi);
}
Tensor sign(const Tensor& x) {
    return unary_fn(UnaryOp::Sign, "SignBackward", x);
}
Tensor affine(const Tensor& x, double scale, double shift) {
    return unary_fn(UnaryOp::Affine, "AffineBackward", x, scale, shift);
}

// ---- binary

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor y = bin(BinaryOp::Add, a, b);
    record("AddBackward", {&a, &b}, y, [](const Tensor& dy) {
        return std::vector<Tensor>{dy, dy};
    });
    return y;
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor y = bin(BinaryOp::Sub, a, b);
    const bool gb = wants_grad(b);
    record("SubBackward", {&a, &b}, y, [gb](const Tensor& dy) {
        return std::vector<Tensor>{dy, gb ? scaled(dy, -1.0) : Tensor()};
    });
    return y;
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor y = bin(BinaryOp::Mul, a, b);
    const bool ga = wants_grad(a), gb = wants_grad(b);
    SavedTensor sa = gb ? a : Tensor(), sb = ga ? b : Tensor();
    record("MulBackward", {&a, &b}, y, [ga, gb, sa, sb](const Tensor& dy) {  // da = dy b, db = dy a
        return std::vector<Tensor>{ga ? bin(BinaryOp::Mul, dy, sb.get()) : Tensor(),
                                   gb ? bin(BinaryOp::Mul, dy, sa.get()) : Tensor()};
    });
    return y;
}

Tensor div(const Tensor& a, const Tensor& b) {
    Tensor y = bin(BinaryOp::Div, a, b);
    const bool gb = wants_grad(b);
    SavedTensor sb = b, sy = gb ? y : Tensor();
    record("DivBackward", {&a, &b}, y, [gb, sb, sy](const Tensor& dy) {
        // da = dy / b, db = -dy a / b^2 = -da * y
        Tensor da = bin(BinaryOp::Div, dy, sb.get());
        Tensor db = gb ? scaled(bin(BinaryOp::Mul, da, sy.get()), -1.0) : Tensor();
        return std::vector<Tensor>{da, db};
    });
    return y;
}

Tensor pow(const Tensor& a, const Tensor& b) {
    Tensor y = bin(BinaryOp::Pow, a, b);
    const bool ga = wants_grad(a), gb = wants_grad(b);
    SavedTensor sa = a, sb = b, sy = y;
    record("PowBackward", {&a, &b}, y, [ga, gb, sa, sb, sy](const Tensor& dy) {
        // da = dy b a^(b-1), db = dy y log(a)
        Tensor da, db;
        if (ga) {
            Tensor bm1 = ops::unary(UnaryOp::Affine, sb.get(), 1.0, -1.0);
            da = bin(BinaryOp::Mul, bin(BinaryOp::Mul, dy, sb.get()),
                     bin(BinaryOp::Pow, sa.get(), bm1));
        }
        if (gb)
            db = bin(BinaryOp::Mul, bin(BinaryOp::Mul, dy, sy.get()),
                     ops::unary(UnaryOp::Log, sa.get()));
        return std::vector<Tensor>{da, db};
    });
    return y;
}

namespace {
// max/min: the gradient goes to the larger (smaller) input; ties split it evenly.
Tensor extremum2(const Tensor& a, const Tensor& b, bool is_max) {
    Tensor y = bin(is_max ? BinaryOp::Maximum : BinaryOp::Minimum, a, b);
    SavedTensor sa = a, sb = b;
    record(is_max ? "MaximumBackward" : "MinimumBackward", {&a, &b}, y,
           [sa, sb, is_max](const Tensor& dy) {
               const Tensor av = sa.get(), bv = sb.get();
               Tensor win =
                   ops::cast(bin(is_max ? BinaryOp::Gt : BinaryOp::Lt, av, bv), dy.dtype());
               Tensor tie = ops::cast(bin(BinaryOp::Eq, av, bv), dy.dtype());
               Tensor wa = bin(BinaryOp::Add, win, scaled(tie, 0.5));
               Tensor da = bin(BinaryOp::Mul, dy, wa);
               return std::vector<Tensor>{da, bin(BinaryOp::Sub, dy, da)};
           });
    return y;
}
}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) {
    return extremum2(a, b, true);
}
Tensor minimum(const Tensor& a, const Tensor& b) {
    return extremum2(a, b, false);
}

Tensor eq(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Eq, a, b);
}
Tensor ne(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Ne, a, b);
}
Tensor lt(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Lt, a, b);
}
Tensor le(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Le, a, b);
}
Tensor gt(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Gt, a, b);
}
Tensor ge(const Tensor& a, const Tensor& b) {
    return bin(BinaryOp::Ge, a, b);
}

Tensor logical_not(const Tensor& x) {
    LM_CHECK(x.dtype() == DType::Bool, "logical_not: expected a bool tensor, got ",
             dtype_name(x.dtype()));
    const TensorOptions opts{DType::Bool, x.device()};
    return ops::where(x, full({}, 0.0, opts), full({}, 1.0, opts));
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    Tensor y = ops::where(cond, a, b);
    SavedTensor sc = cond;
    record("WhereBackward", {&a, &b}, y, [sc](const Tensor& dy) {
        const Tensor zero = zeros({}, {dy.dtype(), dy.device()});
        return std::vector<Tensor>{ops::where(sc.get(), dy, zero), ops::where(sc.get(), zero, dy)};
    });
    return y;
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
    return where(mask, full({}, value, {x.dtype(), x.device()}), x);
}

// ---- operators

Tensor operator+(const Tensor& a, const Tensor& b) {
    return add(a, b);
}
Tensor operator-(const Tensor& a, const Tensor& b) {
    return sub(a, b);
}
Tensor operator*(const Tensor& a, const Tensor& b) {
    return mul(a, b);
}
Tensor operator/(const Tensor& a, const Tensor& b) {
    return div(a, b);
}
Tensor operator-(const Tensor& x) {
    return neg(x);
}
Tensor operator+(const Tensor& a, double s) {
    return affine(a, 1.0, s);
}
Tensor operator-(const Tensor& a, double s) {
    return affine(a, 1.0, -s);
}
Tensor operator*(const Tensor& a, double s) {
    return affine(a, s, 0.0);
}
Tensor operator/(const Tensor& a, double s) {
    return affine(a, 1.0 / s, 0.0);
}
Tensor operator+(double s, const Tensor& a) {
    return affine(a, 1.0, s);
}
Tensor operator-(double s, const Tensor& a) {
    return affine(a, -1.0, s);
}
Tensor operator*(double s, const Tensor& a) {
    return affine(a, s, 0.0);
}
Tensor operator/(double s, const Tensor& a) {
    return affine(reciprocal(a), s, 0.0);
}

}  // namespace lm
