#include "train/io/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/base/error.h"

namespace lm::train {

namespace {
std::string read_all(int fd) {
    std::string text(64, '\0');
    const ssize_t n = pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0'))
        text.pop_back();
    return text;
}
}  // namespace

RunLock::RunLock(const std::string& run_dir) {
    const std::string path = run_dir + "/.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw Error(path + ": cannot open the run directory's lock (" + std::strerror(errno) + ")");
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const std::string holder = read_all(fd_);
        ::close(fd_);
        fd_ = -1;
        throw Error("run directory " + run_dir + " is in use by another landmark process (pid " +
                    (holder.empty() ? std::string("unknown") : holder) +
                    "); wait for it to finish or train into another --run-dir");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    // the lock holds even if this fails; only the pid shown to a second process would be missing
    const bool recorded = ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, pid.data(), pid.size(), 0) ==
                                                          static_cast<ssize_t>(pid.size());
    (void)recorded;
}

RunLock::~RunLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace lm::train
