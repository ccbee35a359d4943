#include "core/base/parallel.h"

#include <algorithm>
#include <thread>

extern "C" void openblas_set_num_threads(int num_threads);

namespace lm {

namespace {
int& thread_setting() {
    static int n = std::max(1, omp_get_max_threads());
    return n;
}
}  // namespace

int num_threads() { return thread_setting(); }

void set_num_threads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    thread_setting() = n;
    omp_set_num_threads(n);
    openblas_set_num_threads(n);
}

}  // namespace lm
