// A small persistent thread pool for parallel_for. Workers spin briefly for new work, then sleep
// on a condition variable: OpenMP's default busy-waiting burned the second core between the
// many short parallel regions of a training step and slowed steps several-fold whenever any
// other thread (the data loader, another process) needed that core.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lm {

class ThreadPool {
  public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }
    // Runs task(i) for i in [0, tasks) on the workers and the calling thread; returns when all
    // are done. Exceptions are rethrown in the caller (the first by task index). Safe to call
    // from several threads: while one job runs, other callers run theirs inline.
    void run(int64_t tasks, const std::function<void(int64_t)>& task);
    // True on a pool worker, or inside run() on the calling thread (nested calls run inline).
    static bool in_parallel_region();

  private:
    void worker_loop();
    void work_on_current_job();

    std::vector<std::thread> workers_;
    std::mutex run_mu_;  // held by the thread whose job the workers run
    std::mutex mu_;
    std::condition_variable wake_, done_;
    const std::function<void(int64_t)>* job_ = nullptr;
    int64_t tasks_ = 0;
    std::atomic<int64_t> next_{0};
    std::atomic<int64_t> finished_{0};
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> active_{0};
    bool stop_ = false;
    std::exception_ptr error_;
    int64_t error_task_ = INT64_MAX;
};

}  // namespace lm
