#include "core/base/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/base/error.h"

namespace lm {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("lm_atomic_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

size_t entries(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++n;
    return n;
}

TEST(AtomicFile, WritesAndReplacesWholeFilesWithoutLeftovers) {
    const fs::path dir = fresh_dir("replace");
    const std::string path = (dir / "a.txt").string();
    write_text_atomic(path, "first");
    EXPECT_EQ(read_text_file(path), "first");
    write_text_atomic(path, "second, longer");
    EXPECT_EQ(read_text_file(path), "second, longer");
    EXPECT_EQ(entries(dir), 1u);  // no temporary file stays behind
}

TEST(AtomicFile, AFailingWriterKeepsTheOldFile) {
    const fs::path dir = fresh_dir("fail");
    const std::string path = (dir / "a.txt").string();
    write_text_atomic(path, "old");
    EXPECT_THROW(write_file_atomic(path,
                                   [](FileWriter& w) {
                                       w.write("new", 3);
                                       throw std::runtime_error("disk full");
                                   }),
                 std::runtime_error);
    EXPECT_EQ(read_text_file(path), "old");
    EXPECT_EQ(entries(dir), 1u);
}

TEST(AtomicFile, ErrorsNameThePath) {
    try {
        read_text_file("/nonexistent/landmark/x.txt");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/landmark/x.txt"), std::string::npos);
    }
    try {
        write_text_atomic("/nonexistent/landmark/y.txt", "x");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/landmark/y.txt"), std::string::npos);
    }
}

}  // namespace
}  // namespace lm
