// Lazily created per-device resources (context.h). The table is created on the first request
// and never destroyed: handles outlive static destructors that might still free tensors.
#include "core/cuda/context.h"

#include <cudnn.h>

#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

#include "core/base/check.h"
#include "core/cuda/check.h"

namespace lm::cuda {

namespace {

inline constexpr size_t kCublasWorkspace = size_t{32} << 20;  // NVIDIA's advice for Hopper
inline constexpr size_t kMaxFftPlans = 64;                    // beyond this the cache restarts

struct DeviceResources {
    cudaStream_t stream = nullptr;
    cublasHandle_t cublas = nullptr;
    void* cublas_workspace = nullptr;
    cudnnHandle_t cudnn = nullptr;
    std::map<std::tuple<int, int64_t, int64_t>, cufftHandle> fft;
};

std::mutex& table_mutex() {
    static std::mutex m;
    return m;
}

// Runs `f` with `device` current, restoring the previous device (creation-time helper that
// cannot use DeviceScope, which needs the stream being created).
template <class F>
void on_device(int device, const F& f) {
    int previous = 0;
    LM_CUDA_CHECK(cudaGetDevice(&previous));
    LM_CUDA_CHECK(cudaSetDevice(device));
    try {
        f();
    } catch (...) {
        cudaSetDevice(previous);
        throw;
    }
    LM_CUDA_CHECK(cudaSetDevice(previous));
}

// The resources of `device`, its stream created on first use. Callers hold table_mutex().
DeviceResources& resources_locked(int device) {
    static std::vector<std::unique_ptr<DeviceResources>>* table =
        new std::vector<std::unique_ptr<DeviceResources>>();
    check_device(Device::cuda(device));
    if (table->size() < static_cast<size_t>(device_count())) table->resize(device_count());
    auto& slot = (*table)[device];
    if (!slot) {
        auto r = std::make_unique<DeviceResources>();
        on_device(device, [&] {
            LM_CUDA_CHECK(cudaStreamCreateWithFlags(&r->stream, cudaStreamNonBlocking));
        });
        slot = std::move(r);
    }
    return *slot;
}

}  // namespace

cudaStream_t stream(int device) {
    std::lock_guard<std::mutex> lock(table_mutex());
    return resources_locked(device).stream;
}

cublasHandle_t cublas_handle(int device) {
    std::lock_guard<std::mutex> lock(table_mutex());
    DeviceResources& r = resources_locked(device);
    if (!r.cublas) {
        on_device(device, [&] {
            cublasHandle_t h = nullptr;
            LM_CUBLAS_CHECK(cublasCreate(&h));
            LM_CUBLAS_CHECK(cublasSetStream(h, r.stream));
            LM_CUDA_CHECK(cudaMalloc(&r.cublas_workspace, kCublasWorkspace));
            LM_CUBLAS_CHECK(cublasSetWorkspace(h, r.cublas_workspace, kCublasWorkspace));
            r.cublas = h;
        });
    }
    return r.cublas;
}

cudnnContext* cudnn_handle(int device) {
    std::lock_guard<std::mutex> lock(table_mutex());
    DeviceResources& r = resources_locked(device);
    if (!r.cudnn) {
        on_device(device, [&] {
            cudnnHandle_t h = nullptr;
            LM_CUDNN_CHECK(cudnnCreate(&h));
            LM_CUDNN_CHECK(cudnnSetStream(h, r.stream));
            r.cudnn = h;
        });
    }
    return r.cudnn;
}

namespace {
cufftType fft_type(FftKind kind) {
    switch (kind) {
        case FftKind::R2C_F32:
            return CUFFT_R2C;
        case FftKind::C2R_F32:
            return CUFFT_C2R;
        case FftKind::R2C_F64:
            return CUFFT_D2Z;
        case FftKind::C2R_F64:
            return CUFFT_Z2D;
    }
    return CUFFT_R2C;
}
}  // namespace

cufftHandle fft_plan(int device, FftKind kind, int64_t length, int64_t batch) {
    LM_CHECK(length > 0 && length <= (int64_t{1} << 30) && batch > 0 && batch <= (int64_t{1} << 30),
             "FFT on CUDA: unsupported length ", length, " x batch ", batch);
    std::lock_guard<std::mutex> lock(table_mutex());
    DeviceResources& r = resources_locked(device);
    const auto key = std::make_tuple(static_cast<int>(kind), length, batch);
    if (auto it = r.fft.find(key); it != r.fft.end()) return it->second;
    cufftHandle plan = 0;
    on_device(device, [&] {
        if (r.fft.size() >= kMaxFftPlans) {  // shapes vary with padding: bound the plans' memory
            LM_CUDA_CHECK(cudaStreamSynchronize(r.stream));
            for (auto& entry : r.fft)
                cufftDestroy(entry.second);
            r.fft.clear();
        }
        // explicit tight layouts: L reals and L / 2 + 1 complex values per transform
        const int L = static_cast<int>(length), F = L / 2 + 1;
        const bool r2c = kind == FftKind::R2C_F32 || kind == FftKind::R2C_F64;
        int n[1] = {L}, in_embed[1] = {r2c ? L : F}, out_embed[1] = {r2c ? F : L};
        LM_CUFFT_CHECK(cufftPlanMany(&plan, 1, n, in_embed, 1, in_embed[0], out_embed, 1,
                                     out_embed[0], fft_type(kind), static_cast<int>(batch)));
        LM_CUFFT_CHECK(cufftSetStream(plan, r.stream));
    });
    r.fft.emplace(key, plan);
    return plan;
}

void synchronize(int device) {
    LM_CUDA_CHECK(cudaStreamSynchronize(stream(device)));
}

DeviceScope::DeviceScope(Device device) : index_(device.index) {
    check_device(device);
    stream_ = cuda::stream(index_);  // first, so that a failure leaves the current device as it was
    int current = 0;
    LM_CUDA_CHECK(cudaGetDevice(&current));
    if (current != index_) {
        LM_CUDA_CHECK(cudaSetDevice(index_));
        previous_ = current;
    }
}

DeviceScope::~DeviceScope() {
    if (previous_ >= 0) cudaSetDevice(previous_);
}

}  // namespace lm::cuda
