// NaN in the loss: with train.nonfinite=stop the run fails naming the step (exit 1); with
// train.nonfinite=skip the poisoned batches are skipped and the run finishes. The poison is a
// NaN in the embedding row of '~', a byte that only some training texts contain, planted in
// the step-10 checkpoint that the run then resumes from.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"
#include "train/io/safetensors.h"

namespace lm::testing {
namespace {

constexpr int kPoisonByte = '~';

// 120 lines; every line with i % every == 0 contains '~'.
std::string tsv(int every) {
    std::string out;
    for (int i = 0; i < 120; ++i) {
        const bool pos = i % 3 != 0;
        out += pos ? "pos\tgood fine" : "neg\tbad poor";
        out += i % every == 0 ? " ~\n" : " word\n";
    }
    return out;
}

class NonFinite : public CliTest {
  protected:
    // Trains 40 steps (checkpoints every 10, all kept), then rewinds `latest` to step 10 with
    // the poisoned embedding row.
    std::string train_and_poison(const std::string& nonfinite, int every) {
        write("train.tsv", tsv(every));
        const std::string config = write(
            "text.yaml", "task:\n  name: text\n  train_file: " + path("train.tsv") +
                             "\n  validation_fraction: 0.1\n  test_fraction: 0.1\n  max_length: "
                             "16\n  cache: false\n" +
                             kModel + "  nonfinite: " + nonfinite + "\n");
        const RunResult r = run_landmark({"train", config, "--run-dir", path("run")});
        EXPECT_EQ(r.exit_code, 0) << r.output;
        const fs::path ck = dir_ / "run" / "checkpoints" / "step-00000010";
        const std::string file = (ck / "model.safetensors").string();
        train::SafetensorsFile st = train::load_safetensors(file);
        bool poisoned = false;
        for (auto& [name, t] : st.tensors) {
            if (name != "encoder.embedding.weight") continue;
            float* row = t.data<float>() + (kPoisonByte + 2) * t.size(1);
            for (int64_t c = 0; c < t.size(1); ++c)
                row[c] = std::numeric_limits<float>::quiet_NaN();
            poisoned = true;
        }
        EXPECT_TRUE(poisoned);
        train::save_safetensors(file, st.tensors, st.metadata);
        std::ofstream(dir_ / "run" / "checkpoints" / "latest") << "step-00000010\n";
        return config;
    }

    static constexpr const char* kModel = R"(model:
  dim: 16
  ffn_dim: 32
  heads: 2
  head_dim: 8
  layers: 1
  attention:
    type: softmax
eval:
  every: 0
  test: false
run:
  threads: 1
  progress: log
train:
  steps: 40
  batch_size: 4
  padding: longest
  checkpoint_every: 10
  keep_checkpoints: 100
)";
};

TEST_F(NonFinite, StopFailsNamingTheStep) {
    const std::string config = train_and_poison("stop", 1);  // every text holds '~'
    const RunResult r = run_landmark({"train", config, "--run-dir", path("run"), "--resume"});
    EXPECT_EQ(r.exit_code, 1) << r.output;
    for (const char* phrase : {"landmark: error: non-finite loss (",
                               "nan) at step 11; lower "
                               "optimizer.lr, set train.clip_norm, or set train.nonfinite=skip"}) {
        EXPECT_NE(r.output.find(phrase), std::string::npos) << r.output;
    }
}

TEST_F(NonFinite, SkipSkipsThePoisonedBatchesAndFinishes) {
    const std::string config = train_and_poison("skip", 10);  // one text in ten holds '~'
    const RunResult r = run_landmark({"train", config, "--run-dir", path("run"), "--resume"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("skipping step"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("run " + path("run") + ": 40 steps"), std::string::npos) << r.output;
    std::ifstream in(dir_ / "run" / "checkpoints" / "step-00000040" / "trainer.json");
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_GT(j.at("skipped_batches").get<int64_t>(), 0);
}

}  // namespace
}  // namespace lm::testing
