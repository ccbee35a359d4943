// A training run on CUDA matches the CPU's loss curve (label `gpu`; skipped without a device),
// and without a device `--set run.device=cuda` fails with a clear message and exit code 1.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/tensor/device.h"
#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm {
namespace {

using lm::testing::run_landmark;

class CudaTrain : public lm::testing::CliTest {
  protected:
    // The training losses logged in metrics.jsonl, in step order.
    static std::vector<double> train_losses(const std::string& run_dir) {
        std::ifstream in(run_dir + "/metrics.jsonl");
        std::vector<double> out;
        for (std::string line; std::getline(in, line);) {
            if (line.find("\"split\":\"train\"") == std::string::npos) continue;
            const size_t at = line.find("\"loss\":");
            if (at != std::string::npos) out.push_back(std::stod(line.substr(at + 7)));
        }
        return out;
    }

    std::vector<std::string> train_args(const std::string& run, const std::string& device) {
        return {"train",     write("tiny.yaml", lm::testing::kTinyListOps),
                "--run-dir", path(run),
                "--set",     "run.device=" + device,
                "--set",     "train.steps=40",
                "--set",     "run.log_every=10",
                "--set",     "model.dropout=0"};
    }
};

TEST_F(CudaTrain, NoDeviceIsAClearErrorWithExitCode1) {
    if (cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
    const auto r = run_landmark(train_args("cuda_run", "cuda"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("no CUDA device"), std::string::npos) << r.output;
}

TEST_F(CudaTrain, LossCurveMatchesTheCpu) {
    if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
    const auto cpu = run_landmark(train_args("cpu_run", "cpu"));
    ASSERT_EQ(cpu.exit_code, 0) << cpu.output;
    const auto gpu = run_landmark(train_args("gpu_run", "cuda"));
    ASSERT_EQ(gpu.exit_code, 0) << gpu.output;
    const auto lc = train_losses(path("cpu_run")), lg = train_losses(path("gpu_run"));
    ASSERT_FALSE(lc.empty());
    ASSERT_EQ(lc.size(), lg.size());
    for (size_t i = 0; i < lc.size(); ++i) {
        // float32 on both, different summation orders: the curves agree to a few 1e-3
        EXPECT_NEAR(lg[i], lc[i], 2e-2 * (1 + lc[i])) << "log line " << i;
    }
}

}  // namespace
}  // namespace lm
