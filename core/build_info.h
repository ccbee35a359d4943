// What this binary is: version, commit, build type, BLAS, CUDA and the CPU code path, for
// `landmark --version`, benchmarks and the checkpoints it writes (as Hugging Face records
// transformers_version).
#pragma once

#include <string>

namespace lm {

struct BuildInfo {
    std::string version;     // the project version, e.g. "0.1.0"
    std::string commit;      // git commit of the built tree ("-dirty" with local changes)
    std::string build_type;  // CMAKE_BUILD_TYPE
    std::string blas;        // OpenBLAS's own configuration line
    std::string cuda;        // "no", or "yes (N devices)"
    std::string cpu_path;    // the vector instruction set the kernels were compiled for
};

BuildInfo build_info();
// "0.1.0 (commit abc123)": what a checkpoint records.
std::string version_string();
// The multi-line text of `landmark --version`.
std::string version_report();

}  // namespace lm
