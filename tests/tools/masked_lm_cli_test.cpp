// Masked-LM pre-training from the CLI: a corpus run records masked-token accuracy, loss and
// perplexity, resumes bit-exactly after SIGKILL, evaluates, refuses `predict`, and the
// config errors that pair a model type with the wrong kind of task.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm {
namespace {

using testing::final_weights;
using testing::latest_step;
using testing::run_landmark;
namespace fs = std::filesystem;

// The encoder of both the pre-training and the fine-tuning runs (the model: section's keys).
const char* kTinyEncoder = R"(  dim: 32
  ffn_dim: 64
  heads: 2
  head_dim: 16
  layers: 1
  attention:
    type: nystrom
    landmarks: 8
)";

class MaskedLmCli : public testing::CliTest {
  protected:
    // A corpus of short sentences from a small grammar: enough structure to learn.
    std::string corpus() const {
        const char* subjects[] = {"the cat", "a dog", "my bird", "the old fox"};
        const char* verbs[] = {"sees", "likes", "chases", "follows"};
        const char* objects[] = {"the ball", "a red hat", "the moon", "some fish"};
        std::string text;
        for (int i = 0; i < 600; ++i) {
            text += std::string(subjects[i % 4]) + " " + verbs[(i / 4) % 4] + " " +
                    objects[(i / 16) % 4] + " number " + std::to_string(i) + ".\n";
        }
        return write("corpus.txt", text);
    }
    std::string config(int64_t steps) const {
        return write("mlm.yaml", std::string(R"(task:
  name: corpus
  files: [)") + corpus() + R"(]
  max_length: 64
  cache: false
model:
  type: masked_lm
)" + kTinyEncoder + R"(train:
  steps: )" + std::to_string(steps) + R"(
  batch_size: 16
  checkpoint_every: 5
optimizer:
  lr: 3.0e-3
eval:
  every: 50
run:
  log_every: 50
  threads: 1
  progress: log
)");
    }
};

// The command failed with `code` and said `message`.
void expect_failure(const testing::RunResult& r, int code, const std::string& message) {
    EXPECT_EQ(r.exit_code, code) << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << message << "\n" << r.output;
}

std::vector<nlohmann::json> records(const fs::path& run, const std::string& split) {
    std::ifstream in(run / "metrics.jsonl");
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        if (j.at("split") == split) out.push_back(j);
    }
    return out;
}

TEST_F(MaskedLmCli, PretrainsResumesExactlyAndEvaluates) {
    const std::string cfg = config(200);
    const auto unbroken = run_landmark({"train", cfg, "--run-dir", path("a")});
    ASSERT_EQ(unbroken.exit_code, 0) << unbroken.output;
    EXPECT_NE(unbroken.output.find("masked-token accuracy"), std::string::npos) << unbroken.output;
    const auto validation = records(dir_ / "a", "validation");
    ASSERT_EQ(validation.size(), 4u);
    for (const auto& r : validation) {
        EXPECT_GT(r.at("masked_tokens").get<int64_t>(), 0);
        EXPECT_NEAR(r.at("perplexity").get<double>(), std::exp(r.at("loss").get<double>()), 1e-9);
    }
    // it learns: from near-uniform over 259 ids to well below, and better than at step 50
    const double first = validation.front().at("loss"), last = validation.back().at("loss");
    EXPECT_LT(last, first - 0.5) << "validation loss " << first << " -> " << last;
    EXPECT_LT(last, std::log(259.0) - 2.0);
    ASSERT_EQ(records(dir_ / "a", "test").size(), 1u);
    // the train records' schema (README): gradient norm, fractional epoch, times
    double last_epoch = 0;
    for (const auto& r : records(dir_ / "a", "train")) {
        EXPECT_GT(r.at("grad_norm").get<double>(), 0.0);
        EXPECT_GT(r.at("epoch").get<double>(), last_epoch);
        last_epoch = r.at("epoch").get<double>();
        EXPECT_GT(r.at("train_seconds").get<double>(), 0.0);
        EXPECT_GT(r.at("time").get<double>(), 1.7e9);  // Unix seconds, after 2023
    }
    EXPECT_GT(last_epoch, 1.0);  // 200 steps of 16 over ~570 sequences of 64 bytes

    // killed mid-run and resumed: the same weights as the unbroken run (masks keyed by step)
    const fs::path b = dir_ / "b";
    const pid_t pid =
        testing::spawn_landmark({"train", cfg, "--run-dir", b.string()}, path("b.log"));
    while (latest_step(b) < 20) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "the run ended before it was killed";
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    ASSERT_LT(latest_step(b), 200);
    const auto resumed = run_landmark({"train", cfg, "--run-dir", b.string(), "--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_TRUE(testing::differing(final_weights(dir_ / "a"), final_weights(b)).empty())
        << "weights differ after resuming";

    const auto ev =
        run_landmark({"eval", path("a"), "--split", "validation", "--json", path("mlm.json")});
    ASSERT_EQ(ev.exit_code, 0) << ev.output;
    std::ifstream mlm_file(path("mlm.json"));
    const auto mlm = nlohmann::json::parse(mlm_file);
    EXPECT_NEAR(mlm.at("perplexity").get<double>(), std::exp(mlm.at("loss").get<double>()), 1e-9);
    EXPECT_GT(mlm.at("masked_tokens").get<int64_t>(), 0);
    EXPECT_NE(ev.output.find("masked-token accuracy"), std::string::npos) << ev.output;
    EXPECT_NE(ev.output.find("perplexity"), std::string::npos) << ev.output;
    const auto predict = run_landmark({"predict", path("a")}, "some text\n");
    EXPECT_EQ(predict.exit_code, 2) << predict.output;
    EXPECT_NE(predict.output.find("masked-LM pre-training run"), std::string::npos)
        << predict.output;
}

TEST_F(MaskedLmCli, ModelTypeAndTaskMustAgree) {
    const auto classifier = run_landmark(
        {"train", config(10), "--run-dir", path("c"), "--set", "model.type=classifier"});
    expect_failure(classifier, 2,
                   "task 'corpus' is unlabeled text, so it cannot train "
                   "model.type=classifier");
    const auto listops = run_landmark({"train", write("l.yaml", testing::kTinyListOps), "--run-dir",
                                       path("l"), "--set", "model.type=masked_lm"});
    expect_failure(listops, 2,
                   "masked_lm pre-trains on unlabeled text and needs a task with "
                   "a MASK token (task.name: corpus), got task 'listops'");
    const auto zero = run_landmark(
        {"train", config(10), "--run-dir", path("z"), "--set", "train.mlm_probability=0"});
    expect_failure(zero, 2, "train.mlm_probability: expected a number in (0, 1]");
}

TEST_F(MaskedLmCli, FineTunesAClassifierFromThePretrainedEncoder) {
    const auto pre = run_landmark(
        {"train", config(30), "--run-dir", path("pre"), "--set", "task.max_length=32"});
    ASSERT_EQ(pre.exit_code, 0) << pre.output;
    std::string tsv;
    for (int i = 0; i < 200; ++i)
        tsv += std::string(i % 2 ? "cat" : "dog") + "\t" + (i % 2 ? "the cat" : "a dog") +
               " sees number " + std::to_string(i) + "\n";
    const std::string fine = write("fine.yaml", std::string(R"(task:
  name: text
  file: )") + write("labels.tsv", tsv) + R"(
  max_length: 48
  cache: false
model:
)" + kTinyEncoder + R"(train:
  steps: 10
  batch_size: 16
  init_from: )" + path("pre") + R"(
  freeze: [encoder.layers.0.attention]
  init_lr_scale: 0.5
eval:
  every: 0
run:
  threads: 1
  progress: log
)");
    const auto ft = run_landmark({"train", fine, "--run-dir", path("ft")});
    ASSERT_EQ(ft.exit_code, 0) << ft.output;
    for (const char* expected :
         {"loaded 21 (encoder.embedding.weight", "newly initialised 4 (head.fc1.weight",
          "unused from the checkpoint 5 (mlm_head.bias",
          "position table encoder.position.weight: from [32, 32] to [48, 32]"}) {
        EXPECT_NE(ft.output.find(expected), std::string::npos) << expected << "\n" << ft.output;
    }
    // the frozen attention weights are the pre-trained ones; the rest of the encoder moved
    const auto before = final_weights(dir_ / "pre"), after = final_weights(dir_ / "ft");
    for (const auto& [name, bytes] : after) {
        if (!before.count(name) || name == "encoder.position.weight") continue;
        const bool frozen = name.rfind("encoder.layers.0.attention", 0) == 0;
        EXPECT_EQ(bytes == before.at(name), frozen) << name;
    }
    // evaluation and prediction read the run's own sidecar (vocabulary with MASK); --json
    // writes every metric
    const auto ev =
        run_landmark({"eval", path("ft"), "--split", "test", "--json", path("ev.json")});
    EXPECT_EQ(ev.exit_code, 0) << ev.output;
    std::ifstream ev_file(path("ev.json"));
    const auto metrics = nlohmann::json::parse(ev_file);
    EXPECT_EQ(metrics.at("split"), "test");
    EXPECT_EQ(metrics.at("classes").size(), 2u);
    EXPECT_EQ(metrics.at("confusion").size(), 2u);
    EXPECT_TRUE(metrics.contains("macro_f1"));
    char accuracy[64];
    std::snprintf(accuracy, sizeof accuracy, "accuracy %.4f", metrics.at("accuracy").get<double>());
    EXPECT_NE(ev.output.find(accuracy), std::string::npos) << accuracy << "\n" << ev.output;
    EXPECT_EQ(run_landmark({"predict", path("ft")}, "the cat sees\n").exit_code, 0);

    // a resumed fine-tuning run takes the vocabulary from its own checkpoint: the pre-training
    // run may be gone
    fs::rename(dir_ / "pre", dir_ / "pre-moved");
    const auto resumed = run_landmark({"train", fine, "--run-dir", path("ft"), "--resume"});
    EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resumed"), std::string::npos) << resumed.output;
    fs::rename(dir_ / "pre-moved", dir_ / "pre");

    // a task with another tokenizer cannot start from this run
    const auto listops = run_landmark({"train", write("l.yaml", testing::kTinyListOps), "--run-dir",
                                       path("l"), "--set", "train.init_from=" + path("pre")});
    expect_failure(listops, 2,
                   "was trained with the byte tokenizer (vocab 258) but task "
                   "'listops' uses the listops tokenizer");
    const auto missing = run_landmark(
        {"train", fine, "--run-dir", path("m"), "--set", "train.init_from=" + path("nowhere")});
    expect_failure(missing, 1, path("nowhere") + ": no such run or checkpoint directory");
}

}  // namespace
}  // namespace lm
