// tools/gpu_check.sh where there is no GPU: it says so and exits 0 at once; its dry run goes
// through every part on the CPU (test binaries, compare-devices, quickstart on both devices,
// benchmarks) and writes the summary and files; a part over its time limit fails the run;
// missing binaries are named.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.h"

namespace lm {
namespace {

namespace fs = std::filesystem;

using testing::RunResult;

// tools/gpu_check.sh ARGS with this build's binaries, from the source tree.
RunResult run_script(const std::string& args,
                     const std::string& build = "",
                     const std::string& env = "") {
    const fs::path dir =
        build.empty() ? fs::path(LANDMARK_BINARY).parent_path().parent_path() : fs::path(build);
    return testing::run_shell("cd " + testing::shell_quote(LANDMARK_SOURCE_DIR) + " && " + env +
                              "tools/gpu_check.sh --build " + testing::shell_quote(dir.string()) +
                              " " + args);
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
    const RunResult r = run_script("--out " + out_.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("no NVIDIA GPU here"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out_)) << "nothing is written without a GPU";
}

TEST_F(GpuCheck, DryRunGoesThroughEveryPartOnTheCpu) {
    const RunResult r = run_script("--dry-run --out " + out_.string());
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
    const RunResult r =
        run_script("--dry-run --out " + out_.string(), "", "GPU_CHECK_LIMITS='240 120 240 1' ");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    const std::string summary = read(out_ / "summary.txt");
    EXPECT_NE(summary.find("TIMED OUT"), std::string::npos) << summary;
    EXPECT_NE(summary.find("some parts FAILED"), std::string::npos) << summary;
    const RunResult bad = run_script("--dry-run --out " + out_.string(), "", "GPU_CHECK_LIMITS=9 ");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("GPU_CHECK_LIMITS must be 4 whole numbers"), std::string::npos)
        << bad.output;
}

TEST_F(GpuCheck, MissingBinariesAreNamed) {
    const RunResult r = run_script("--dry-run --out " + out_.string(), "/nonexistent");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("/nonexistent"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace lm
