#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/check.h"

namespace lm {

namespace {
std::string sys_error() {
    return std::strerror(errno);
}

std::string parent_dir(const std::string& path) {
    const std::filesystem::path p = std::filesystem::path(path).parent_path();
    return p.empty() ? "." : p.string();
}
}  // namespace

void FileWriter::write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t k = ::write(fd_, p, n);
        if (k < 0 && errno == EINTR) continue;
        LM_CHECK(k > 0, "cannot write '", path_, "': ", sys_error());
        p += k;
        n -= static_cast<size_t>(k);
        written_ += static_cast<size_t>(k);
    }
}

std::string temp_suffix() {
    static std::atomic<uint64_t> counter{0};
    return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

void fsync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    LM_CHECK(fd >= 0, "cannot open '", path, "' to sync it: ", sys_error());
    const int rc = ::fsync(fd);
    const std::string err = rc != 0 ? sys_error() : "";
    ::close(fd);
    LM_CHECK(rc == 0, "cannot sync '", path, "': ", err);
}

void write_file_atomic(const std::string& path, const std::function<void(FileWriter&)>& fill) {
    const std::string tmp = path + temp_suffix();
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    LM_CHECK(fd >= 0, "cannot create '", tmp, "' (writing '", path, "'): ", sys_error());
    bool open = true;
    try {
        FileWriter w(fd, path);
        fill(w);
        LM_CHECK(::fsync(fd) == 0, "cannot sync '", path, "': ", sys_error());
        open = false;
        LM_CHECK(::close(fd) == 0, "cannot close '", path, "': ", sys_error());
    } catch (...) {
        if (open) ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string err = sys_error();
        ::unlink(tmp.c_str());
        LM_CHECK(false, "cannot rename '", tmp, "' to '", path, "': ", err);
    }
    fsync_path(parent_dir(path));
}

void write_text_atomic(const std::string& path, const std::string& text) {
    write_file_atomic(path, [&](FileWriter& w) { w.write(text.data(), text.size()); });
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    LM_CHECK(in.good(), "cannot open '", path, "': ", sys_error());
    std::ostringstream ss;
    ss << in.rdbuf();
    LM_CHECK(!in.bad(), "cannot read '", path, "'");
    return ss.str();
}

}  // namespace lm
