#include "core/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "core/base/thread_pool.h"

namespace lm {

namespace {

int default_threads() {
    if (const char* env = std::getenv("OMP_NUM_THREADS")) {
        const int n = std::atoi(env);
        if (n > 0) return n;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::unique_ptr<ThreadPool>& pool() {
    static std::unique_ptr<ThreadPool> p = std::make_unique<ThreadPool>(default_threads());
    return p;
}

}  // namespace

int num_threads() {
    return pool()->size();
}

void set_num_threads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
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

void parallel_for_each(int64_t n, int threads, const std::function<void(int64_t)>& fn) {
    if (n <= 0) return;
    const int64_t workers = std::min<int64_t>(threads > 0 ? threads : num_threads(), n);
    if (workers <= 1 || detail::in_parallel_region()) {
        for (int64_t i = 0; i < n; ++i)
            fn(i);
        return;
    }
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    std::exception_ptr first_error;  // the failure of the lowest index, for reproducible errors
    int64_t first_error_index = n;
    detail::run_parallel(workers, [&](int64_t) {
        for (int64_t i = next++; i < n && !failed; i = next++) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (i < first_error_index) {
                    first_error = std::current_exception();
                    first_error_index = i;
                }
                failed = true;
            }
        }
    });
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace lm
