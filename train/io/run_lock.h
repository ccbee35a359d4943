// One process trains into a run directory at a time: an exclusive flock on RUN_DIR/.lock, held
// for the life of the trainer. The kernel releases it when the process ends in any way, so a run
// killed with SIGKILL never blocks its --resume. The file records the holder's pid for the error.
#pragma once

#include <string>

namespace lm::train {

class RunLock {
  public:
    // Throws Error naming the directory and the holder's pid when another process holds
    // the lock.
    explicit RunLock(const std::string& run_dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace lm::train
