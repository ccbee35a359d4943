// The CUDA runtime layer (label `gpu`): device discovery, the clear error without a device (this
// part runs on every machine), host <-> device copies, module transfer, the caching allocator's
// reuse, and errors that name the failing call.
#include "core/tensor/allocator.h"
#include "tests/cuda/cuda_testing.h"

namespace lm {
namespace {

TEST(CudaRuntime, WithoutADeviceCudaTensorsFailClearly) {
    if (cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
    EXPECT_EQ(cuda_device_count(), 0);
    try {
        (void)empty({4}, DType::Float32, Device::cuda(0));
        FAIL() << "allocating on cuda:0 without a device must throw";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_TRUE(msg.find("no CUDA device") != std::string::npos ||
                    msg.find("no CUDA backend") != std::string::npos)
            << msg;
    }
    const Tensor x = ones({3});
    EXPECT_THROW((void)x.to(Device::cuda(0)), Error);
}

TEST(CudaRuntime, RoundTripsAndViews) {
    LM_REQUIRE_GPU();
    for (DType t : {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool,
                    DType::BFloat16, DType::Float16}) {
        const Tensor x = testing::random_tensor({5, 7}, 1, DType::Float32, -3, 3).to(t);
        const Tensor g = testing::on_gpu(x);
        EXPECT_TRUE(g.device().is_cuda());
        EXPECT_TRUE(testing::bitwise_equal(testing::on_cpu(g), x)) << dtype_name(t);
        const Tensor view = testing::on_cpu(g.transpose(0, 1).contiguous());
        EXPECT_TRUE(testing::bitwise_equal(view, x.transpose(0, 1).contiguous())) << dtype_name(t);
    }
    EXPECT_THROW((void)empty({1}, DType::Float32, Device::cuda(cuda_device_count())), Error);
}

TEST(CudaRuntime, CachingAllocatorReusesBlocks) {
    LM_REQUIRE_GPU();
    Allocator& a = allocator_for(testing::gpu());
    { const Tensor warm = empty({1 << 16}, DType::Float32, testing::gpu()); }
    const int64_t before = a.stats().allocations;
    for (int i = 0; i < 20; ++i) {
        const Tensor t = empty({1 << 16}, DType::Float32, testing::gpu());
        (void)t;
    }
    EXPECT_EQ(a.stats().allocations, before) << "a freed block of the same size must be reused";
    a.empty_cache();
    EXPECT_EQ(a.stats().cached_bytes, 0);
}

TEST(CudaRuntime, OutOfMemoryIsAnErrorNotACrash) {
    LM_REQUIRE_GPU();
    try {
        (void)empty({int64_t{1} << 46}, DType::Float32, testing::gpu());  // 256 TiB
        FAIL() << "expected an out-of-memory error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("out of memory"), std::string::npos) << e.what();
    }
    const Tensor ok = testing::on_gpu(ones({4}));  // the device still works
    EXPECT_EQ(sum(ok).item(), 4.0);
}

}  // namespace
}  // namespace lm
