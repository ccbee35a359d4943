// Every registered op case (tests/core/ops/<family>_cases.cpp) through the CPU checks of the
// op-case harness (tests/support/op_case.h); tests/cuda/op_cases_gpu_test.cpp runs the same cases
// on a device.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/base/parallel.h"
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::OpCase;

std::vector<Tensor> with_threads(int threads, const OpCase& c, const std::vector<Tensor>& in) {
    const int before = num_threads();
    set_num_threads(threads);
    std::vector<Tensor> out;
    try {
        out = testing::value_and_grads(c, in);
    } catch (...) {
        set_num_threads(before);
        throw;
    }
    set_num_threads(before);
    return out;
}

std::string part(size_t i) {
    return i == 0 ? "value" : "gradient " + std::to_string(i);
}

class OpCases : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpCases, Float64Gradients) {
    const OpCase& c = GetParam();
    const std::vector<Tensor> inputs = testing::case_leaves(c, c.inputs(DType::Float64));
    bool any = false;
    for (size_t i = 0; i < inputs.size(); ++i)
        any = any || c.differentiates(i, inputs[i]);
    ASSERT_TRUE(any) << c.label() << ": a case needs a differentiable input";
    testing::gradcheck(c.fn, inputs, c.grad, c.label());
}

TEST_P(OpCases, SameBitsOnRepeatedCallsAndForAnyThreadCount) {
    const OpCase& c = GetParam();
    for (DType dtype : {DType::Float32, DType::Float64}) {
        const std::vector<Tensor> in = c.inputs(dtype);
        const std::vector<Tensor> one = with_threads(1, c, in), again = with_threads(1, c, in),
                                  two = with_threads(2, c, in);
        ASSERT_EQ(one.size(), two.size());
        for (size_t i = 0; i < one.size(); ++i) {
            EXPECT_TRUE(testing::bitwise_equal(one[i], again[i]))
                << c.label() << " " << dtype_name(dtype) << ": " << part(i)
                << " differs between two calls";
            EXPECT_TRUE(testing::bitwise_equal(one[i], two[i]))
                << c.label() << " " << dtype_name(dtype) << ": " << part(i)
                << " differs between 1 and 2 threads, by up to "
                << testing::max_abs_diff(one[i], two[i]);
        }
    }
}

TEST_P(OpCases, Float32MatchesFloat64) {
    const OpCase& c = GetParam();
    const std::vector<Tensor> f32 = testing::value_and_grads(c, c.inputs(DType::Float32));
    const std::vector<Tensor> f64 = testing::value_and_grads(c, c.inputs(DType::Float64));
    ASSERT_EQ(f32.size(), f64.size()) << c.label();
    for (size_t i = 0; i < f32.size(); ++i) {
        EXPECT_EQ(f32[i].dtype(), DType::Float32) << c.label() << ": " << part(i);
        testing::expect_close(f32[i], f64[i], c.float32_tol, c.float32_tol,
                              c.label() + ": float32 " + part(i));
    }
}

INSTANTIATE_TEST_SUITE_P(Registered,
                         OpCases,
                         ::testing::ValuesIn(testing::op_cases()),
                         [](const auto& info) { return testing::case_test_name(info.param); });

// The cases that come with a reference written from simpler ops.
std::vector<OpCase> cases_with_reference() {
    std::vector<OpCase> out;
    for (const OpCase& c : testing::op_cases()) {
        if (c.reference) out.push_back(c);
    }
    return out;
}

class OpCasesWithReference : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpCasesWithReference, MatchesItsReference) {
    const OpCase& c = GetParam();
    OpCase ref = c;
    ref.fn = c.reference;
    const std::vector<Tensor> in = c.inputs(DType::Float64);
    const std::vector<Tensor> got = testing::value_and_grads(c, in);
    const std::vector<Tensor> want = testing::value_and_grads(ref, in);
    ASSERT_EQ(got.size(), want.size()) << c.label();
    for (size_t i = 0; i < got.size(); ++i) {
        testing::expect_close(got[i], want[i], c.reference_tol, c.reference_tol,
                              c.label() + ": against the reference, " + part(i));
    }
}

INSTANTIATE_TEST_SUITE_P(Registered,
                         OpCasesWithReference,
                         ::testing::ValuesIn(cases_with_reference()),
                         [](const auto& info) { return testing::case_test_name(info.param); });

// Families whose autograd functions (core/ops/<family>_grad.cpp) are checked elsewhere, and why.
const std::map<std::string, std::string> kNotRegistered = {
    {"matmul_mixed", "16-bit operands have no float64 gradient: tests/core/autograd/autocast_test"},
};

TEST(OpCaseRegistry, EveryFamilyWithAutogradRegistersCases) {
    std::set<std::string> registered, labels;
    for (const OpCase& c : testing::op_cases()) {
        registered.insert(c.family);
        EXPECT_TRUE(labels.insert(c.label()).second) << "two cases named " << c.label();
        EXPECT_TRUE(std::filesystem::exists(std::string(LANDMARK_SOURCE_DIR) + "/core/ops/" +
                                            c.family + ".h"))
            << c.label() << ": no op family core/ops/" << c.family << ".h";
    }
    const std::string suffix = "_grad.cpp";
    int families = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(LANDMARK_SOURCE_DIR) + "/core/ops")) {
        const std::string file = entry.path().filename().string();
        if (file.size() <= suffix.size() || !file.ends_with(suffix)) continue;
        const std::string family = file.substr(0, file.size() - suffix.size());
        ++families;
        if (kNotRegistered.count(family)) continue;
        EXPECT_TRUE(registered.count(family))
            << "core/ops/" << file << " has no op cases: register them with LM_OP_CASES(" << family
            << ") in tests/core/ops/" << family << "_cases.cpp";
    }
    EXPECT_GT(families, 10);
}

}  // namespace
}  // namespace lm
