#include "core/base/parallel.h"

#include <algorithm>
#include <thread>

extern "C" void openblas_set_num_threads(int num_threads);

namespace lm {

namespace {
// OpenBLAS stays single-threaded: ops/matmul_cpu.cpp spreads GEMM tiles over our threads. Its
// OpenMP build also resets OpenMP's default thread count, so that is set afterwards.
int& thread_setting() {
    static int n = [] {
        const int threads = std::max(1, omp_get_max_threads());
        openblas_set_num_threads(1);
        omp_set_num_threads(threads);
        return threads;
    }();
    return n;
}
}  // namespace

int num_threads() { return thread_setting(); }

void set_num_threads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    thread_setting() = n;
    openblas_set_num_threads(1);
    omp_set_num_threads(n);
}

}  // namespace lm
