// Helpers for the data tests: temporary directories, small files, captured warnings.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data/error.h"

namespace lm::data::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "lm_data_XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code error;
        std::filesystem::remove_all(path_, error);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

inline void write_file(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

inline void write_gzip(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
}

// Collects warnings for the lifetime of the object.
class WarningCapture {
  public:
    WarningCapture() {
        previous_ = set_warning_sink([this](std::string_view m) { messages.emplace_back(m); });
    }
    ~WarningCapture() { set_warning_sink(previous_); }
    std::vector<std::string> messages;

  private:
    WarningSink previous_;
};

// The message of the DataError thrown by `statement`, or a failure if none is thrown.
#define LM_DATA_ERROR_MESSAGE(statement)                           \
    [&]() -> std::string {                                         \
        try {                                                      \
            statement;                                             \
        } catch (const ::lm::data::DataError& e) {                 \
            return e.what();                                       \
        }                                                          \
        ADD_FAILURE() << "expected a DataError from: " #statement; \
        return "";                                                 \
    }()

// The npm data directory the tasks read by default.
inline std::string default_data_dir() {
    if (const char* env = std::getenv("LANDMARK_DATA_DIR"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.cache/landmark";
}

}  // namespace lm::data::testing
