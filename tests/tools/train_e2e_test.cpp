// End to end through the CLI: a tiny ListOps model trains above chance, a run killed with
// SIGKILL resumes to the same weights as an unbroken run, and the checkpoint evaluates.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "data/task.h"
#include "tests/support/process.h"
#include "train/config.h"
#include "train/io/safetensors.h"

namespace lm {
namespace {

namespace fs = std::filesystem;
using lm::testing::run_landmark;

// Tiny ListOps: short expressions, a 1-layer Nystrom model, checkpoints every 10 steps.
const char* kConfig = R"(task:
  name: listops
  train_size: 1500
  validation_size: 200
  test_size: 200
  min_length: 10
  max_length: 64
  max_depth: 3
  threads: 1
model:
  dim: 32
  ffn_dim: 64
  heads: 2
  head_dim: 16
  layers: 1
  attention:
    type: nystrom
    landmarks: 8
    conv_kernel: 5
train:
  steps: 120
  batch_size: 32
  padding: longest
  pad_multiple: 8
  checkpoint_every: 10
optimizer:
  lr: 3.0e-3
schedule:
  type: linear
  warmup_steps: 10
eval:
  every: 40
run:
  log_every: 20
  progress: log
)";

class TrainE2E : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("landmark_e2e_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        std::ofstream(dir_ / "tiny.yaml") << kConfig;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string config() const { return (dir_ / "tiny.yaml").string(); }
    fs::path dir_;
};

std::map<std::string, std::vector<float>> final_weights(const fs::path& run) {
    std::ifstream latest(run / "checkpoints" / "latest");
    std::string name;
    latest >> name;
    const auto file =
        train::load_safetensors((run / "checkpoints" / name / "model.safetensors").string());
    std::map<std::string, std::vector<float>> out;
    for (const auto& [k, t] : file.tensors)
        out[k] = t.to_vector<float>();
    return out;
}

double majority_share(const std::string& config_path) {
    const train::Config cfg = train::load_config_file(config_path);
    auto task = data::make_task(cfg.task);
    std::map<int32_t, int> counts;
    const auto& val = task->examples(data::Split::Validation);
    for (const auto& e : val)
        counts[e.label]++;
    int best = 0;
    for (auto& [label, n] : counts)
        best = std::max(best, n);
    return static_cast<double>(best) / static_cast<double>(val.size());
}

double best_validation(const std::string& output) {
    const std::string key = "best validation accuracy ";
    const size_t at = output.find(key);
    return at == std::string::npos ? -1.0 : std::stod(output.substr(at + key.size()));
}

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

int64_t latest_step(const fs::path& run) {
    std::ifstream in(run / "checkpoints" / "latest");
    std::string name;
    if (!(in >> name) || name.size() < 5) return -1;
    return std::stoll(name.substr(5));
}

TEST_F(TrainE2E, TrainsAboveChanceResumesExactlyAfterSigkillAndEvaluates) {
    const auto unbroken = run_landmark({"train", config(), "--run-dir", (dir_ / "a").string()});
    ASSERT_EQ(unbroken.exit_code, 0) << unbroken.output;
    const double acc = best_validation(unbroken.output), chance = majority_share(config());
    EXPECT_GT(acc, chance + 0.05) << "validation accuracy " << acc << " vs majority " << chance;

    // Kill a second run once it has checkpointed a few times, then resume it.
    const fs::path b = dir_ / "b";
    const pid_t pid = lm::testing::spawn_landmark({"train", config(), "--run-dir", b.string()},
                                                  (dir_ / "b.log").string());
    while (latest_step(b) < 40) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "the run ended before it was killed";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    const int64_t killed_at = latest_step(b);
    ASSERT_LT(killed_at, 120) << "killed too late to test resuming";
    char name[32];
    std::snprintf(name, sizeof name, "step-%08lld", static_cast<long long>(killed_at));
    const double seconds_before =
        read_json(b / "checkpoints" / name / "trainer.json").at("timing").at("train_seconds");
    ASSERT_GT(seconds_before, 0.0);
    const auto resumed = run_landmark({"train", config(), "--run-dir", b.string(), "--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resumed"), std::string::npos) << resumed.output;
    // The summary's training time counts the segment before the kill as well.
    EXPECT_GT(read_json(b / "summary.json").at("train_seconds").get<double>(), seconds_before);

    const auto wa = final_weights(dir_ / "a"), wb = final_weights(b);
    ASSERT_EQ(wa.size(), wb.size());
    for (const auto& [name, values] : wa) {
        ASSERT_TRUE(wb.count(name)) << name;
        EXPECT_EQ(values, wb.at(name)) << name << " differs after resuming from step " << killed_at;
    }

    const auto ev = run_landmark({"eval", b.string(), "--split", "test"});
    ASSERT_EQ(ev.exit_code, 0) << ev.output;
    EXPECT_NE(ev.output.find("accuracy"), std::string::npos) << ev.output;
    EXPECT_NE(ev.output.find("confusion matrix"), std::string::npos) << ev.output;
    const auto info = run_landmark({"info", b.string()});
    ASSERT_EQ(info.exit_code, 0) << info.output;
    EXPECT_NE(info.output.find("parameters"), std::string::npos) << info.output;
}

TEST_F(TrainE2E, ExitCodes) {
    std::ofstream(dir_ / "typo.yaml") << "task:\n  name: listops\nmodel:\n  dimm: 3\n";
    auto r = run_landmark({"train", (dir_ / "typo.yaml").string()});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("typo.yaml:4"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("did you mean 'dim'"), std::string::npos) << r.output;

    r = run_landmark({"train", config(), "--set", "model.attention.type=nystorm"});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_landmark({"train"});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_landmark({"eval", (dir_ / "missing").string()});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    r = run_landmark(
        {"train", config(), "--run-dir", (dir_ / "c").string(), "--set", "run.device=cuda"});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("no CUDA device"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace lm
