// The root of every landmark error. Library code throws; the command line prints the message and
// turns the error's kind into the exit code: 1 for a failure while running (bad data, a missing
// file, a diverged run), 2 for a mistake in how it was called (a command-line usage error, a bad
// config). Every module's errors derive from Error.
#pragma once

#include <stdexcept>
#include <string>

namespace lm {

enum class ErrorKind { Runtime, Usage, Config };

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message, ErrorKind kind = ErrorKind::Runtime)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    // 1 for a run-time failure, 2 for a usage or configuration error.
    int exit_code() const noexcept { return kind_ == ErrorKind::Runtime ? 1 : 2; }

  private:
    ErrorKind kind_;
};

}  // namespace lm
