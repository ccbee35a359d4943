// Op cases of cross-entropy (core/ops/cross_entropy.h), checked by
// tests/core/ops/op_cases_test.cpp.
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

// (1 - eps) * mean nll(target) + eps * mean over rows and classes of -log p, from log_softmax
// and gather (no ignored targets).
Tensor composed_cross_entropy(const Tensor& logits, const Tensor& targets, double eps) {
    const Tensor logp = log_softmax(logits);
    const Tensor picked = gather(logp, 1, targets.to(DType::Int64).view({targets.numel(), 1}));
    return -mean(picked) * (1 - eps) - mean(logp) * eps;
}

OpCase cross_entropy_case(const std::string& name,
                          const Tensor& targets,
                          int64_t ignore,
                          double smoothing,
                          bool reference,
                          bool strided = false,
                          double scale = 1.0) {
    OpCase c;
    c.family = "cross_entropy";
    c.name = name;
    c.inputs = [=](DType t) {
        return std::vector<Tensor>{case_input(t, {5, 4}, 11, -2.0, 2.0, strided), targets};
    };
    c.fn = [=](const std::vector<Tensor>& in) {
        return cross_entropy(in[0], in[1], ignore, smoothing) * scale;
    };
    if (reference) {
        c.reference = [=](const std::vector<Tensor>& in) {
            return composed_cross_entropy(in[0], in[1], smoothing) * scale;
        };
    }
    return c;
}

LM_OP_CASES(cross_entropy) {
    const Tensor t = from_vector(std::vector<int64_t>{0, 3, -100, 1, 3}, {5}, {DType::Int64});
    const Tensor t7 = from_vector(std::vector<int64_t>{0, 3, 7, 1, 7}, {5}, {DType::Int64});
    const Tensor t32 = from_vector(std::vector<int32_t>{2, 1, 0, 0, 3}, {5}, {DType::Int32});
    return {
        cross_entropy_case("plain, int32 targets", t32, -100, 0.0, true),
        cross_entropy_case("ignore_index -100", t, -100, 0.0, false),
        cross_entropy_case("ignore_index 7", t7, 7, 0.0, false),
        cross_entropy_case("label smoothing", t32, -100, 0.2, true),
        cross_entropy_case("ignore_index and label smoothing", t, -100, 0.1, false),
        cross_entropy_case("non-contiguous logits, scaled loss", t, -100, 0.0, false, true, 3.0),
    };
}

}  // namespace
}  // namespace lm
