#include "core/base/thread_pool.h"

#include <immintrin.h>

namespace lm {

namespace {
thread_local bool t_in_parallel = false;
// Spin iterations before sleeping: about 50 us, longer than the gap between the parallel
// regions of one op sequence, far shorter than a scheduler time slice.
constexpr int kSpinIterations = 20000;
}  // namespace

bool ThreadPool::in_parallel_region() {
    return t_in_parallel;
}

ThreadPool::ThreadPool(int threads) {
    for (int i = 1; i < threads; ++i)
        workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& w : workers_)
        w.join();
}

void ThreadPool::work_on_current_job() {
    for (int64_t i = next_.fetch_add(1); i < tasks_; i = next_.fetch_add(1)) {
        try {
            (*job_)(i);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu_);
            if (i < error_task_) {
                error_ = std::current_exception();
                error_task_ = i;
            }
        }
        finished_.fetch_add(1, std::memory_order_acq_rel);
    }
}

void ThreadPool::worker_loop() {
    t_in_parallel = true;
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
            _mm_pause();
            ++spins;
        }
        if (generation_.load(std::memory_order_acquire) == seen) {
            std::unique_lock<std::mutex> lock(mu_);
            wake_.wait(lock, [&] { return generation_.load() != seen; });
        }
        seen = generation_.load(std::memory_order_acquire);
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (stop_) return;
            if (!job_) continue;
            active_.fetch_add(1);
        }
        work_on_current_job();
        if (active_.fetch_sub(1) == 1) {
            std::lock_guard<std::mutex> lock(mu_);  // no wakeup lost between check and wait
            done_.notify_all();
        }
    }
}

void ThreadPool::run(int64_t tasks, const std::function<void(int64_t)>& task) {
    if (tasks <= 0) return;
    // One job at a time: a second thread calling run() meanwhile (a data loader generating
    // examples while the trainer computes) runs its tasks inline instead of waiting.
    std::unique_lock<std::mutex> owner(run_mu_, std::try_to_lock);
    if (workers_.empty() || t_in_parallel || tasks == 1 || !owner.owns_lock()) {
        for (int64_t i = 0; i < tasks; ++i)
            task(i);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        job_ = &task;
        tasks_ = tasks;
        next_ = 0;
        finished_ = 0;
        error_ = nullptr;
        error_task_ = INT64_MAX;
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    t_in_parallel = true;
    work_on_current_job();
    t_in_parallel = false;
    // Wait until every task finished and no worker still holds the job.
    int spins = 0;
    while ((finished_.load(std::memory_order_acquire) < tasks || active_.load() > 0) &&
           spins < kSpinIterations) {
        _mm_pause();
        ++spins;
    }
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return finished_.load() >= tasks && active_.load() == 0; });
    job_ = nullptr;
    if (error_) std::rethrow_exception(error_);
}

}  // namespace lm
