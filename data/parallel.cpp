#include "data/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lm::data {

int resolve_threads(int requested) {
    if (requested > 0) return requested;
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware == 0 ? 1 : static_cast<int>(hardware);
}

void parallel_for(int64_t n, int threads, const std::function<void(int64_t)>& fn) {
    if (n <= 0) return;
    const int workers = static_cast<int>(std::min<int64_t>(resolve_threads(threads), n));
    if (workers == 1) {
        for (int64_t i = 0; i < n; ++i) {
            fn(i);
        }
        return;
    }
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;  // the failure with the lowest index, for reproducible errors
    int64_t first_error_index = n;
    std::mutex error_mutex;
    auto work = [&] {
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
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < workers; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (auto& thread : pool) {
        thread.join();
    }
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace lm::data
