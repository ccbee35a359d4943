// tools/gpu_check.sh where there is no GPU: it says so and exits 0 at once; its dry run goes
// through every part on the CPU (test binaries, compare-devices, quickstart on both devices,
// benchmarks) and writes the summary and files; a part over its time limit fails the run;
// missing binaries are named.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.h"

namespace lm {
namespace {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;
    std::string output;
};

Result run_script(const std::string& args) {
    const fs::path build = fs::path(LANDMARK_BINARY).parent_path().parent_path();
    const std::string cmd = "cd " + testing::shell_quote(LANDMARK_SOURCE_DIR) +
                            " && tools/gpu_check.sh --build " +
                            testing::shell_quote(build.string()) + " " + args + " 2>&1";
    Result r;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    while (size_t n = fread(buf.data(), 1, buf.size(), p))
        r.output.append(buf.data(), n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

bool machine_has_gpu() {
    return std::system("nvidia-smi -L 2>/dev/null | grep -q '^GPU'") == 0;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class GpuCheck : public ::testing::Test {
  protected:
    void SetUp() override {
        out_ = fs::temp_directory_path() /
               ("landmark_gpu_check_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(out_);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(out_);
    }
    fs::path out_;
};

TEST_F(GpuCheck, WithoutAGpuItSaysSoAndExitsAtOnce) {
    if (machine_has_gpu()) GTEST_SKIP() << "this machine has a GPU";
    const Result r = run_script("--out " + out_.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("no NVIDIA GPU here"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out_)) << "nothing is written without a GPU";
}

TEST_F(GpuCheck, DryRunGoesThroughEveryPartOnTheCpu) {
    const Result r = run_script("--dry-run --out " + out_.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string summary = read(out_ / "summary.txt");
    for (const char* part : {"gpu-tests", "ops", "quickstart", "bench"}) {
        const auto at = summary.find(std::string(part) + " ");
        ASSERT_NE(at, std::string::npos) << part << "\n" << summary;
        EXPECT_EQ(
            summary.compare(summary.find_first_not_of(' ', at + std::string(part).size()), 2, "ok"),
            0)
            << summary;
    }
    EXPECT_NE(summary.find("all parts passed"), std::string::npos) << summary;
    EXPECT_NE(read(out_ / "ops.log").find("12 of 12 ops within tolerance on cpu"),
              std::string::npos);
    EXPECT_TRUE(fs::exists(out_ / "quickstart.svg"));
    EXPECT_TRUE(fs::exists(out_ / "attention.csv"));
    // landmark and PyTorch rows of nystrom/softmax x fp32/bf16, after the header
    std::stringstream bench(read(out_ / "bench.tsv"));
    int rows = 0;
    for (std::string line; std::getline(bench, line);)
        rows += line.rfind("landmark\t", 0) == 0;
    EXPECT_EQ(rows, 4);
}

TEST_F(GpuCheck, APartPastItsTimeLimitFailsTheRun) {
    const std::string limits = "GPU_CHECK_LIMITS='240 120 240 1' ";
    const fs::path build = fs::path(LANDMARK_BINARY).parent_path().parent_path();
    const std::string cmd = "cd " + testing::shell_quote(LANDMARK_SOURCE_DIR) + " && " + limits +
                            "tools/gpu_check.sh --dry-run --build " +
                            testing::shell_quote(build.string()) + " --out " + out_.string() +
                            " > /dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1);
    const std::string summary = read(out_ / "summary.txt");
    EXPECT_NE(summary.find("TIMED OUT"), std::string::npos) << summary;
    EXPECT_NE(summary.find("some parts FAILED"), std::string::npos) << summary;
}

TEST_F(GpuCheck, MissingBinariesAreNamed) {
    const std::string cmd = "cd " + testing::shell_quote(LANDMARK_SOURCE_DIR) +
                            " && tools/gpu_check.sh --dry-run --build /nonexistent --out " +
                            out_.string() + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string output;
    std::array<char, 4096> buf{};
    while (size_t n = fread(buf.data(), 1, buf.size(), p))
        output.append(buf.data(), n);
    const int status = pclose(p);
    EXPECT_EQ(WEXITSTATUS(status), 2) << output;
    EXPECT_NE(output.find("/nonexistent"), std::string::npos) << output;
}

}  // namespace
}  // namespace lm
