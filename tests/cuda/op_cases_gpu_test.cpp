// Every registered op case (tests/core/ops/<family>_cases.cpp) on the GPU against the CPU, in
// float32 and float64: the value and the gradient of every differentiable input. Skips without a
// CUDA device.
#include <gtest/gtest.h>

#include "tests/cuda/cuda_testing.h"
#include "tests/support/op_case.h"

namespace lm {
namespace {

using testing::OpCase;

class OpCasesOnGpu : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpCasesOnGpu, ValuesAndGradientsMatchTheCpu) {
    LM_REQUIRE_GPU();
    const OpCase& c = GetParam();
    for (DType dtype : {DType::Float32, DType::Float64}) {
        const double tol = dtype == DType::Float64 ? 1e-10 : c.float32_tol;
        const std::vector<Tensor> cpu_in = c.inputs(dtype);
        std::vector<Tensor> gpu_in;
        for (const Tensor& x : cpu_in)
            gpu_in.push_back(x.defined() ? testing::on_gpu(x) : Tensor());
        const std::vector<Tensor> want = testing::value_and_grads(c, cpu_in);
        const std::vector<Tensor> got = testing::value_and_grads(c, gpu_in);
        ASSERT_EQ(got.size(), want.size()) << c.label();
        for (size_t i = 0; i < got.size(); ++i) {
            const std::string what = c.label() + " " + dtype_name(dtype) +
                                     (i == 0 ? ": value" : ": gradient " + std::to_string(i));
            ASSERT_TRUE(got[i].device().is_cuda()) << what << " left the GPU";
            testing::expect_close(testing::on_cpu(got[i]), want[i], tol, tol, what);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Registered,
                         OpCasesOnGpu,
                         ::testing::ValuesIn(testing::op_cases()),
                         [](const auto& info) { return testing::case_test_name(info.param); });

}  // namespace
}  // namespace lm
