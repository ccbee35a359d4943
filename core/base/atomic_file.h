// Crash-safe file writes: a file is written to a temporary name in its directory, fsynced and
// renamed over the target, and the directory is fsynced, so a reader sees either the old or the
// new complete file. Errors name the path and the system error.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace lm {

// Sequential writer over an open file descriptor (retries short writes and EINTR).
class FileWriter {
  public:
    FileWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    void write(const void* data, size_t n);
    size_t bytes_written() const { return written_; }

  private:
    int fd_;
    std::string path_;  // the final path, for error messages
    size_t written_ = 0;
};

// Creates `path` atomically with the bytes that `fill` writes.
void write_file_atomic(const std::string& path, const std::function<void(FileWriter&)>& fill);
void write_text_atomic(const std::string& path, const std::string& text);

// fsync of a file or directory (directories make renames and creations durable).
void fsync_path(const std::string& path);
// A name suffix unique to this process and call: ".tmp-<pid>-<counter>".
std::string temp_suffix();
// The whole file as a string; errors name the path.
std::string read_text_file(const std::string& path);

}  // namespace lm
