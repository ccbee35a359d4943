// Replays every file of tests/fuzz/corpus/<target>/ (the seeds) and tests/fuzz/regressions/
// <target>/ (inputs that once crashed a reader, kept by tools/fuzz.sh) through the libFuzzer
// targets' entry points: each must be rejected with a framework error or accepted, never crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/fuzz/fuzz_targets.h"

namespace lm::fuzz {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs every regular file of `dir` (if it exists) through `target`; returns the count.
int replay(const Target& target, const fs::path& dir) {
    int n = 0;
    if (!fs::is_directory(dir)) return n;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().filename().string()[0] == '.') continue;
        SCOPED_TRACE(entry.path().string());
        target.run(read_bytes(entry.path()));
        ++n;
    }
    return n;
}

class FuzzRegression : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzRegression, CorpusAndRegressionsNeverCrash) {
    const fs::path root = fs::path(LANDMARK_SOURCE_DIR) / "tests" / "fuzz";
    const int seeds = replay(GetParam(), root / "corpus" / GetParam().name);
    EXPECT_GE(seeds, 2) << "no seed corpus in " << (root / "corpus" / GetParam().name);
    replay(GetParam(), root / "regressions" / GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(Targets,
                         FuzzRegression,
                         ::testing::ValuesIn(all_targets()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lm::fuzz
