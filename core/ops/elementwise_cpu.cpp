// CPU launchers of the element-wise kernels (kernels/elementwise.h, kernels/half.h).
#include <array>
#include <cstring>
#include <type_traits>

#include "core/kernels/elementwise.h"
#include "core/kernels/half.h"
#include "core/kernels/op_switch.h"
#include "core/ops/cpu_loops.h"
#include "core/ops/dispatch.h"
#include "core/ops/elementwise_backend.h"

namespace lm::cpu {

using kernels::BinaryOp;
using kernels::switch_binary;
using kernels::switch_unary;
using kernels::UnaryOp;

namespace {

template <class T>
T& at(char* p, int64_t stride, int64_t i) {
    return *reinterpret_cast<T*>(p + i * stride);
}

template <UnaryOp OP, class T>
void unary_typed(const Tensor& out, const Tensor& x, T a, T b) {
    const auto plan = make_plan<2>(out.shape(), {&out, &x});
    char* base[2] = {static_cast<char*>(out.raw_data()), static_cast<char*>(x.raw_data())};
    for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
            T* o = reinterpret_cast<T*>(p[0]);
            const T* in = reinterpret_cast<const T*>(p[1]);
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                o[i] = kernels::unary_forward<OP, T>(in[i], a, b);
        } else {
            for (int64_t i = 0; i < n; ++i) {
                at<T>(p[0], s[0], i) = kernels::unary_forward<OP, T>(at<T>(p[1], s[1], i), a, b);
            }
        }
    });
}

template <UnaryOp OP, class T>
void unary_backward_typed(
    const Tensor& dx, const Tensor& x, const Tensor& y, const Tensor& dy, T a, T b) {
    // Missing x or y (not needed by this op) are replaced by dy so the plan stays 4-ary.
    const Tensor& xs = x.defined() ? x : dy;
    const Tensor& ys = y.defined() ? y : dy;
    const auto plan = make_plan<4>(dx.shape(), {&dx, &xs, &ys, &dy});
    char* base[4] = {static_cast<char*>(dx.raw_data()), static_cast<char*>(xs.raw_data()),
                     static_cast<char*>(ys.raw_data()), static_cast<char*>(dy.raw_data())};
    for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
        if (s[0] == sizeof(T) && s[1] == sizeof(T) && s[2] == sizeof(T) && s[3] == sizeof(T)) {
            T* o = reinterpret_cast<T*>(p[0]);
            const T* xi = reinterpret_cast<const T*>(p[1]);
            const T* yi = reinterpret_cast<const T*>(p[2]);
            const T* gi = reinterpret_cast<const T*>(p[3]);
#pragma omp simd
            for (int64_t i = 0; i < n; ++i) {
                o[i] = kernels::unary_backward<OP, T>(xi[i], yi[i], gi[i], a, b);
            }
        } else {
            for (int64_t i = 0; i < n; ++i) {
                at<T>(p[0], s[0], i) = kernels::unary_backward<OP, T>(
                    at<T>(p[1], s[1], i), at<T>(p[2], s[2], i), at<T>(p[3], s[3], i), a, b);
            }
        }
    });
}

template <BinaryOp OP, class T>
void binary_typed(const Tensor& out, const Tensor& a, const Tensor& b) {
    const auto plan = make_plan<3>(out.shape(), {&out, &a, &b});
    char* base[3] = {static_cast<char*>(out.raw_data()), static_cast<char*>(a.raw_data()),
                     static_cast<char*>(b.raw_data())};
    using Out = std::conditional_t<kernels::is_comparison(OP), bool, T>;
    for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
        auto f = [](T x, T y) -> Out {
            if constexpr (kernels::is_comparison(OP))
                return kernels::compare<OP, T>(x, y);
            else
                return kernels::binary_forward<OP, T>(x, y);
        };
        if (s[0] == sizeof(Out) && s[1] == sizeof(T) && s[2] == sizeof(T)) {
            Out* o = reinterpret_cast<Out*>(p[0]);
            const T* x = reinterpret_cast<const T*>(p[1]);
            const T* y = reinterpret_cast<const T*>(p[2]);
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                o[i] = f(x[i], y[i]);
        } else if (s[0] == sizeof(Out) && s[1] == sizeof(T) && s[2] == 0) {  // tensor op scalar
            Out* o = reinterpret_cast<Out*>(p[0]);
            const T* x = reinterpret_cast<const T*>(p[1]);
            const T y = *reinterpret_cast<const T*>(p[2]);
#pragma omp simd
            for (int64_t i = 0; i < n; ++i)
                o[i] = f(x[i], y);
        } else {
            for (int64_t i = 0; i < n; ++i) {
                at<Out>(p[0], s[0], i) = f(at<T>(p[1], s[1], i), at<T>(p[2], s[2], i));
            }
        }
    });
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& x, double a, double b) {
    dispatch_numeric(x.dtype(), "unary op", [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>) {
            switch_unary(op,
                         [&](auto c) { unary_typed<decltype(c)::value, T>(out, x, T(a), T(b)); });
        } else {
            LM_CHECK(kernels::integer_unary(op),
                     "this element-wise function needs a floating tensor, got ",
                     dtype_name(x.dtype()));
            switch_unary(op, [&](auto c) {
                constexpr UnaryOp OP = decltype(c)::value;
                if constexpr (OP == UnaryOp::Neg || OP == UnaryOp::Abs || OP == UnaryOp::Sign ||
                              OP == UnaryOp::Square || OP == UnaryOp::Affine ||
                              OP == UnaryOp::Clamp || OP == UnaryOp::Relu) {
                    unary_typed<OP, T>(out, x, T(a), T(b));
                }
            });
        }
    });
}

void unary_backward(UnaryOp op,
                    const Tensor& dx,
                    const Tensor& x,
                    const Tensor& y,
                    const Tensor& dy,
                    double a,
                    double b) {
    dispatch_floating(dy.dtype(), "unary backward", [&](auto tag) {
        using T = decltype(tag);
        switch_unary(op, [&](auto c) {
            unary_backward_typed<decltype(c)::value, T>(dx, x, y, dy, T(a), T(b));
        });
    });
}

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
    if (a.dtype() == DType::Bool) {  // masks: equality only
        LM_CHECK(op == BinaryOp::Eq || op == BinaryOp::Ne, "bool tensors support only eq and ne");
        if (op == BinaryOp::Eq)
            binary_typed<BinaryOp::Eq, bool>(out, a, b);
        else
            binary_typed<BinaryOp::Ne, bool>(out, a, b);
        return;
    }
    dispatch_numeric(a.dtype(), "binary op", [&](auto tag) {
        using T = decltype(tag);
        switch_binary(op, [&](auto c) {
            constexpr BinaryOp OP = decltype(c)::value;
            if constexpr (OP == BinaryOp::Pow && !std::is_floating_point_v<T>) {
                LM_CHECK(false, "pow needs floating tensors, got ", dtype_name(a.dtype()));
            } else {
                binary_typed<OP, T>(out, a, b);
            }
        });
    });
}

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
    dispatch_all(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const auto plan = make_plan<4>(out.shape(), {&out, &cond, &a, &b});
        char* base[4] = {static_cast<char*>(out.raw_data()), static_cast<char*>(cond.raw_data()),
                         static_cast<char*>(a.raw_data()), static_cast<char*>(b.raw_data())};
        for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
            for (int64_t i = 0; i < n; ++i) {
                at<T>(p[0], s[0], i) =
                    at<bool>(p[1], s[1], i) ? at<T>(p[2], s[2], i) : at<T>(p[3], s[3], i);
            }
        });
    });
}

void copy(const Tensor& dst, const Tensor& src) {
    dispatch_all(dst.dtype(), [&](auto dtag) {
        dispatch_all(src.dtype(), [&](auto stag) {
            using D = decltype(dtag);
            using S = decltype(stag);
            const auto plan = make_plan<2>(dst.shape(), {&dst, &src});
            char* base[2] = {static_cast<char*>(dst.raw_data()),
                             static_cast<char*>(src.raw_data())};
            for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
                if constexpr (std::is_same_v<D, S>) {
                    if (s[0] == sizeof(D) && s[1] == sizeof(S)) {
                        std::memcpy(p[0], p[1], static_cast<size_t>(n) * sizeof(D));
                        return;
                    }
                }
                for (int64_t i = 0; i < n; ++i) {
                    at<D>(p[0], s[0], i) = kernels::convert<D, S>(at<S>(p[1], s[1], i));
                }
            });
        });
    });
}

void fill(const Tensor& dst, double value) {
    dispatch_all(dst.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T v = kernels::convert<T, double>(value);
        const auto plan = make_plan<1>(dst.shape(), {&dst});
        char* base[1] = {static_cast<char*>(dst.raw_data())};
        for_each_run(plan, base, [&](char* const* p, const int64_t* s, int64_t n) {
            for (int64_t i = 0; i < n; ++i)
                at<T>(p[0], s[0], i) = v;
        });
    });
}

}  // namespace lm::cpu
