#include "core/build_info.h"

#include "core/tensor/device.h"
#include "landmark_git_commit.h"

extern "C" char* openblas_get_config(void);

namespace lm {

namespace {
std::string cpu_path() {
#if defined(__AVX512F__)
    return "avx512 (compiled for this machine's -march)";
#elif defined(__AVX2__)
    return "avx2";
#else
    return "generic x86-64";
#endif
}
}  // namespace

BuildInfo build_info() {
    BuildInfo b;
    b.version = LANDMARK_VERSION;
    b.commit = LANDMARK_GIT_COMMIT;
    b.build_type = LANDMARK_BUILD_TYPE;
    b.blas = openblas_get_config();
#ifdef LANDMARK_WITH_CUDA
    b.cuda = "yes (" + std::to_string(cuda_device_count()) + " devices)";
#else
    b.cuda = "no (built without the CUDA backend)";
#endif
    b.cpu_path = cpu_path();
    return b;
}

std::string version_string() {
    return std::string(LANDMARK_VERSION) + " (commit " + LANDMARK_GIT_COMMIT + ")";
}

std::string version_report() {
    const BuildInfo b = build_info();
    return "landmark " + b.version + "\ncommit     " + b.commit + "\nbuild type " + b.build_type +
           "\nBLAS       " + b.blas + "\nCUDA       " + b.cuda + "\nCPU path   " + b.cpu_path;
}

}  // namespace lm
