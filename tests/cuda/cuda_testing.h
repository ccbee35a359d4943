// Shared by the GPU tests (label `gpu`): skip without a device, move tensors, and compare a
// CUDA result with the CPU backend's.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "tests/support/tensor_testing.h"

// Ends the test with a skip message on a machine (or build) without a CUDA device.
#define LM_REQUIRE_GPU()                                                      \
    do {                                                                      \
        if (::lm::cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device"; \
    } while (0)

namespace lm::testing {

inline Device gpu() {
    return Device::cuda(0);
}
inline Tensor on_gpu(const Tensor& x) {
    return x.detach().to(gpu());
}
inline Tensor on_cpu(const Tensor& x) {
    return x.detach().to(Device::cpu());
}

// f on the CPU and on the GPU from the same inputs; the GPU result must come back on the GPU
// and match the CPU one.
inline void expect_same_on_gpu(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                               const std::vector<Tensor>& inputs,
                               double rtol,
                               double atol,
                               const std::string& what) {
    std::vector<Tensor> dev;
    for (const Tensor& x : inputs)
        dev.push_back(on_gpu(x));
    const Tensor ref = f(inputs);
    const Tensor got = f(dev);
    ASSERT_TRUE(got.device().is_cuda()) << what << ": result left the GPU";
    ASSERT_EQ(got.dtype(), ref.dtype()) << what;
    expect_close(on_cpu(got), ref, rtol, atol, what);
}

// Gradients of sum(f(inputs) * weights) on both devices; the inputs are floating leaves.
inline void expect_same_grads_on_gpu(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                                     const std::vector<Tensor>& inputs,
                                     double rtol,
                                     double atol,
                                     const std::string& what) {
    std::vector<Tensor> cpu, dev;
    for (const Tensor& x : inputs) {
        cpu.push_back(x.detach().clone().requires_grad_());
        dev.push_back(on_gpu(x).requires_grad_());
    }
    const Tensor yc = f(cpu);
    const Tensor w = random_tensor(yc.shape(), 99, yc.dtype());
    sum(yc * w).backward();
    sum(f(dev) * on_gpu(w)).backward();
    for (size_t i = 0; i < inputs.size(); ++i) {
        ASSERT_TRUE(dev[i].grad().defined()) << what << ": no gradient for input " << i;
        ASSERT_TRUE(dev[i].grad().device().is_cuda()) << what << ": gradient left the GPU";
        expect_close(on_cpu(dev[i].grad()), cpu[i].grad(), rtol, atol,
                     what + " d/input " + std::to_string(i));
    }
}

}  // namespace lm::testing
