// One harness for every op family, in the spirit of ggml's test-backend-ops: a family registers
// its cases (a function of tensors and how to make its inputs) with LM_OP_CASES in
// tests/core/ops/<family>_cases.cpp, and every case runs through the same checks:
//   - float64 finite-difference gradients of every floating input (tests/support/gradcheck.h),
//   - the same bits on a repeated call and for 1 and 2 threads, values and gradients,
//   - float32 against float64 on the same values,
//   - an optional reference (the same function written with simpler ops) in float64,
//   - CUDA against the CPU, values and gradients, where a device is present (tests/cuda).
#pragma once

#include <cctype>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/gradcheck.h"

namespace lm::testing {

// A case's inputs in the requested floating dtype, the same values for every dtype.
using InputsFn = std::function<std::vector<Tensor>(DType)>;

struct OpCase {
    std::string family;  // the op family, as in core/ops/<family>.h
    std::string name;    // what this case exercises
    InputsFn inputs;
    TensorFn fn;
    TensorFn reference = nullptr;         // optional, compared with fn in float64
    std::vector<size_t> constant_inputs;  // floating inputs that are not differentiated (masks)
    GradcheckOptions grad{};
    double float32_tol = 1e-4;  // relative and absolute, float32 against float64
    double reference_tol = 1e-12;

    std::string label() const { return family + ": " + name; }
    bool differentiates(size_t i, const Tensor& x) const;
};

inline OpCase op_case(std::string family,
                      std::string name,
                      InputsFn inputs,
                      TensorFn fn,
                      TensorFn reference = nullptr) {
    OpCase c;
    c.family = std::move(family);
    c.name = std::move(name);
    c.inputs = std::move(inputs);
    c.fn = std::move(fn);
    c.reference = std::move(reference);
    return c;
}

// gtest prints a failing case by its label.
inline void PrintTo(const OpCase& c, std::ostream* os) {
    *os << c.label();
}

// Every registered case, in registration order.
inline std::vector<OpCase>& op_cases() {
    static std::vector<OpCase> cases;
    return cases;
}

struct OpCaseRegistration {
    explicit OpCaseRegistration(std::vector<OpCase> cases) {
        for (OpCase& c : cases)
            op_cases().push_back(std::move(c));
    }
};

// LM_OP_CASES(layer_norm) { return {OpCase{...}, ...}; } registers a family's cases.
#define LM_OP_CASES(family)                                                       \
    static std::vector<::lm::testing::OpCase> family##_op_cases();                \
    static const ::lm::testing::OpCaseRegistration family##_op_case_registration{ \
        family##_op_cases()};                                                     \
    static std::vector<::lm::testing::OpCase> family##_op_cases()

// Uniform values in [lo, hi) drawn in float64 from `seed`, then cast to dtype; `strided` gives
// the same values in a non-contiguous layout.
inline Tensor case_input(DType dtype,
                         const Shape& shape,
                         uint64_t seed,
                         double lo = -1.0,
                         double hi = 1.0,
                         bool strided = false) {
    Tensor t = random_tensor(shape, seed, DType::Float64, lo, hi).to(dtype);
    return strided ? noncontiguous(t) : t;
}

// A [B, N] float64 padding mask: row b has lengths[b] real tokens (1) and then padding (0).
inline Tensor prefix_mask(const std::vector<int64_t>& lengths, int64_t N) {
    std::vector<double> m;
    for (int64_t L : lengths) {
        for (int64_t i = 0; i < N; ++i)
            m.push_back(i < L ? 1.0 : 0.0);
    }
    return from_vector(m, {static_cast<int64_t>(lengths.size()), N}, {DType::Float64});
}

inline bool OpCase::differentiates(size_t i, const Tensor& x) const {
    if (!x.defined() || !is_floating(x.dtype())) return false;
    for (size_t c : constant_inputs) {
        if (c == i) return false;
    }
    return true;
}

// The inputs as fresh leaves (same layout), differentiable ones requiring grad.
inline std::vector<Tensor> case_leaves(const OpCase& c, const std::vector<Tensor>& inputs) {
    std::vector<Tensor> leaves;
    for (size_t i = 0; i < inputs.size(); ++i) {
        Tensor x = inputs[i].defined() ? inputs[i].detach() : Tensor();
        if (c.differentiates(i, x)) x.requires_grad_();
        leaves.push_back(x);
    }
    return leaves;
}

// fn's output followed by the gradients of sum(output * G) (G fixed, drawn from the output's
// shape) for each differentiable input, all detached.
inline std::vector<Tensor> value_and_grads(const OpCase& c, const std::vector<Tensor>& inputs) {
    std::vector<Tensor> leaves = case_leaves(c, inputs);
    const Tensor y = c.fn(leaves);
    std::vector<Tensor> out{y.detach()};
    if (!y.requires_grad()) return out;
    const Tensor g = random_tensor(y.shape(), 4321, DType::Float64).to(y.dtype()).to(y.device());
    sum(y * g).backward();
    for (size_t i = 0; i < leaves.size(); ++i) {
        if (c.differentiates(i, leaves[i])) {
            const Tensor grad = leaves[i].grad();
            out.push_back(grad.defined() ? grad.detach() : zeros_like(leaves[i]));
        }
    }
    return out;
}

// Names for parameterised tests: the label with every non-alphanumeric run as one '_' (labels
// are unique, so the names are).
inline std::string case_test_name(const OpCase& c) {
    std::string out;
    for (char ch : c.label()) {
        const bool keep = std::isalnum(static_cast<unsigned char>(ch)) != 0;
        if (keep)
            out += ch;
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out;
}

}  // namespace lm::testing
