// Mixed precision through the CLI (train.precision): bf16 and fp16 train the tiny ListOps model
// to a loss close to fp32's and above-chance accuracy, fp16 resumes bit-identically (the loss
// scale is in the checkpoint), and the key is validated and described.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "data/task.h"
#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"
#include "train/config.h"
#include "train/io/checkpoint.h"

namespace lm::testing {
namespace {

// The last train and validation records of a run's metrics.jsonl, by split.
std::map<std::string, nlohmann::json> last_records(const fs::path& run) {
    std::ifstream in(run / "metrics.jsonl");
    std::map<std::string, nlohmann::json> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        out[j.at("split").get<std::string>()] = j;
    }
    return out;
}

double majority_share(const std::string& config_path) {
    const train::Config cfg = train::load_config_file(config_path);
    auto task = data::make_task(cfg.task);
    std::map<int32_t, int> counts;
    const auto& val = task->examples(data::Split::Validation);
    int best = 0;
    for (const auto& e : val)
        best = std::max(best, ++counts[e.label]);
    return static_cast<double>(best) / static_cast<double>(val.size());
}

class Precision : public CliTest {
  protected:
    void SetUp() override {
        CliTest::SetUp();
        config_ = write("tiny.yaml", kTinyListOps);
    }
    RunResult train(const std::string& run,
                    const std::string& precision,
                    std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"train",   config_, "--run-dir",
                                         path(run), "--set", "train.precision=" + precision};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_landmark(args);
    }
    std::string config_;
};

TEST_F(Precision, Bf16AndFp16TrainLikeFp32) {
    const std::vector<std::string> longer = {"--set", "train.steps=120", "--set", "eval.every=40"};
    const RunResult ref = train("fp32", "fp32", longer);
    ASSERT_EQ(ref.exit_code, 0) << ref.output;
    const double ref_loss = last_records(dir_ / "fp32").at("train").at("loss").get<double>();
    const double chance = majority_share(config_);
    for (const std::string precision : {"bf16", "fp16"}) {
        SCOPED_TRACE(precision);
        const RunResult r = train(precision, precision, longer);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        EXPECT_NE(r.output.find("precision " + precision), std::string::npos) << r.output;
        const auto rec = last_records(dir_ / precision);
        const double loss = rec.at("train").at("loss").get<double>();
        EXPECT_NEAR(loss, ref_loss, 0.05 * ref_loss) << "fp32 " << ref_loss;
        const double acc = rec.at("validation").at("accuracy").get<double>();
        EXPECT_GT(acc, chance + 0.05) << "validation accuracy " << acc << " vs majority " << chance;
    }
}

TEST_F(Precision, Fp16ResumesBitIdenticallyWithItsLossScale) {
    ASSERT_EQ(train("unbroken", "fp16").exit_code, 0);
    // Killed while saving the third checkpoint (step 15), after `latest` names it.
    ::setenv("LANDMARK_FAULT_INJECT", "checkpoint_before_prune@3", 1);
    const RunResult killed = train("resumed", "fp16");
    ::unsetenv("LANDMARK_FAULT_INJECT");
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.output;
    ASSERT_EQ(latest_step(dir_ / "resumed"), 15);
    const auto ck = train::CheckpointStore::load(path("resumed"));
    ASSERT_TRUE(ck.trainer.contains("grad_scaler")) << ck.trainer.dump();
    EXPECT_GT(ck.trainer.at("grad_scaler").at("scale").get<double>(), 0);
    const RunResult resumed = train("resumed", "fp16", {"--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(differing(final_weights(dir_ / "unbroken"), final_weights(dir_ / "resumed")),
              std::vector<std::string>{});
    // Without fp16 there is no scaler state.
    ASSERT_EQ(train("bf16", "bf16", {"--set", "train.steps=15"}).exit_code, 0);
    EXPECT_FALSE(train::CheckpointStore::load(path("bf16")).trainer.contains("grad_scaler"));
}

TEST_F(Precision, KeyIsValidatedAndDescribed) {
    const RunResult bad = train("bad", "fp8");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("one of fp32, bf16, fp16"), std::string::npos) << bad.output;
    const RunResult d = run_landmark({"config", "--describe"});
    ASSERT_EQ(d.exit_code, 0) << d.output;
    EXPECT_NE(d.output.find("`train.precision` | one of fp32, bf16, fp16 | `fp32`"),
              std::string::npos)
        << d.output;
}

}  // namespace
}  // namespace lm::testing
