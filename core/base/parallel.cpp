#include "core/base/parallel.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <thread>

#include "core/base/thread_pool.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace lm {

namespace {

int default_threads() {
    if (const char* env = std::getenv("OMP_NUM_THREADS")) {
        const int n = std::atoi(env);
        if (n > 0) return n;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// OpenBLAS stays single-threaded: ops/matmul_cpu.cpp spreads GEMM tiles over our threads.
std::unique_ptr<ThreadPool>& pool() {
    static std::unique_ptr<ThreadPool> p = [] {
        openblas_set_num_threads(1);
        return std::make_unique<ThreadPool>(default_threads());
    }();
    return p;
}

}  // namespace

int num_threads() {
    return pool()->size();
}

void set_num_threads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    openblas_set_num_threads(1);
    if (pool()->size() != n) pool() = std::make_unique<ThreadPool>(n);
}

namespace detail {
bool in_parallel_region() {
    return ThreadPool::in_parallel_region();
}
void run_parallel(int64_t tasks, const std::function<void(int64_t)>& task) {
    pool()->run(tasks, task);
}
}  // namespace detail

}  // namespace lm
