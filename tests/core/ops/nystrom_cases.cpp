// Op cases of Nystrom attention (core/ops/nystrom.h), both landmark modes, checked by
// tests/core/ops/op_cases_test.cpp and, on a device, against CUDA by tests/cuda.
#include "tests/support/op_case.h"

#include "core/autograd/attention.h"

namespace lm {
namespace {

using testing::case_input;
using testing::OpCase;

OpCase nystrom_case(const std::string& name,
                    const std::vector<int64_t>& lengths,
                    int64_t N,
                    const ops::NystromConfig& cfg,
                    bool exact_reference = false) {
    const int64_t B = static_cast<int64_t>(lengths.size()), H = 2, D = 4;
    const Tensor mask = testing::prefix_mask(lengths, N);
    // well-conditioned landmark matrices: keys close to the queries, strongly peaked scores
    auto inputs = [=](DType t) {
        const Tensor base = case_input(t, {B, H, N, D}, 61, -2, 2);
        return std::vector<Tensor>{base, base + case_input(t, {B, H, N, D}, 62) * 0.1,
                                   case_input(t, {B, H, N, D}, 63), mask.to(t)};
    };
    // the real query rows (padded rows are not defined to match anything)
    auto real_rows = [=](const Tensor& y, const Tensor& m) { return y * m.reshape({B, 1, N, 1}); };
    OpCase c = testing::op_case("nystrom", name, inputs, [=](const std::vector<Tensor>& in) {
        return real_rows(nystrom_attention(in[0], in[1], in[2], in[3], cfg), in[3]);
    });
    if (exact_reference) {
        // every example shorter than the landmark count: exact attention over its tokens
        c.reference = [=](const std::vector<Tensor>& in) {
            return real_rows(softmax_attention(in[0], in[1], in[2], in[3]), in[3]);
        };
        c.reference_tol = 1e-9;
    }
    c.constant_inputs = {3};
    c.float32_tol = 2e-3;
    return c;
}

LM_OP_CASES(nystrom) {
    using ops::LandmarkMode, ops::PinvInit;
    const ops::NystromConfig per_example{4, 6, PinvInit::PerMatrix, LandmarkMode::PerExample};
    const ops::NystromConfig reference{4, 6, PinvInit::Global, LandmarkMode::Reference};
    return {
        nystrom_case("per-example landmarks, ragged and empty examples", {11, 6, 2, 0}, 11,
                     per_example),
        nystrom_case("reference landmarks, N a multiple of m", {12, 12}, 12, reference),
        nystrom_case("reference landmarks, padded inside", {10, 7}, 10, reference),
        nystrom_case("per-example, short examples are exact attention", {5, 3}, 6,
                     {8, 40, PinvInit::PerMatrix, LandmarkMode::PerExample}, true),
    };
}

}  // namespace
}  // namespace lm
