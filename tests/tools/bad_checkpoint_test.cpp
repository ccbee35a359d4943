// The catalogue of bad inputs around a trained run: labels unseen at training, texts longer
// than the model's maximum, truncated and foreign checkpoints, edited or broken sidecars, and
// resuming with another config. One tiny text-classification run is trained, and each case
// works on its own copy of it. Exit codes: 0 success, 1 runtime failure, 2 usage/config error.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm::testing {
namespace {

// Labelled TSV lines: "pos" texts use one vocabulary, "neg" texts another.
std::string tsv(int lines, int seed) {
    const char* pos[] = {"good", "great", "fine", "nice", "happy"};
    const char* neg[] = {"bad", "awful", "poor", "sad", "ugly"};
    std::string out;
    for (int i = 0; i < lines; ++i) {
        const bool p = (i * 7 + seed) % 3 != 0;
        out += p ? "pos\t" : "neg\t";
        for (int w = 0; w < 3 + (i + seed) % 4; ++w) {
            out += std::string(w ? " " : "") + (p ? pos : neg)[(i * 3 + w + seed) % 5];
        }
        out += "\n";
    }
    return out;
}

class BadCheckpoint : public CliTest {
  protected:
    void SetUp() override {
        CliTest::SetUp();
        write("train.tsv", tsv(120, 1));
        write("dev.tsv", tsv(20, 2));
        write("test.tsv", tsv(20, 3));
        config_ = write("text.yaml", "task:\n  name: text\n  train_file: " + path("train.tsv") +
                                         "\n  validation_file: " + path("dev.tsv") +
                                         "\n  test_file: " + path("test.tsv") +
                                         "\n  max_length: 32\n  cache: false\n" + kModel);
        const RunResult r = run_landmark({"train", config_, "--run-dir", path("run")});
        ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    // A fresh copy of the trained run.
    fs::path copy_run(const std::string& name) const {
        const fs::path to = dir_ / name;
        fs::copy(dir_ / "run", to, fs::copy_options::recursive);
        return to;
    }
    static fs::path latest_dir(const fs::path& run) {
        return run / "checkpoints" / ("step-000000" + std::to_string(latest_step(run)));
    }
    static void edit_sidecar(const fs::path& ck, const std::function<void(nlohmann::json&)>& f) {
        std::ifstream in(ck / "trainer.json");
        nlohmann::json j = nlohmann::json::parse(in);
        f(j);
        std::ofstream(ck / "trainer.json") << j.dump(2);
    }
    void expect(const RunResult& r, int code, const std::vector<std::string>& phrases) const {
        EXPECT_EQ(r.exit_code, code) << r.output;
        for (const auto& p : phrases) {
            EXPECT_NE(r.output.find(p), std::string::npos) << "expected '" << p << "' in:\n"
                                                           << r.output;
        }
    }

    static constexpr const char* kModel = R"(model:
  dim: 16
  ffn_dim: 32
  heads: 2
  head_dim: 8
  layers: 1
  attention:
    type: softmax
train:
  steps: 20
  batch_size: 8
  padding: longest
  checkpoint_every: 10
eval:
  every: 0
run:
  threads: 1
  progress: log
)";
    std::string config_;
};

TEST_F(BadCheckpoint, UnseenLabelsAndOverlongTexts) {
    write("unseen.tsv", "pos\tgood nice\nmaybe\tgood bad\n");
    expect(run_landmark({"eval", path("run"), "--data", path("unseen.tsv")}), 1,
           {path("unseen.tsv") + ":2: label 'maybe' was not seen in training; known labels: "
                                 "neg, pos"});
    // Longer than max_length 32: cut as in training (task.truncation, head by default).
    const std::string head = "good great fine nice happy good";  // 31 bytes
    const std::string long_text = head + std::string(5000, 'x');
    const RunResult a = run_landmark({"predict", path("run")}, long_text + "\n");
    const RunResult b = run_landmark({"predict", path("run")}, long_text + "\n");
    const RunResult cut = run_landmark({"predict", path("run")}, long_text.substr(0, 32) + "\n");
    ASSERT_EQ(a.exit_code, 0) << a.output;
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.output, cut.output);
    write("long.tsv", "pos\t" + long_text + "\nneg\tbad " + std::string(3000, 'y') + "\n");
    expect(run_landmark({"eval", path("run"), "--data", path("long.tsv")}), 0, {"accuracy"});
}

TEST_F(BadCheckpoint, TruncatedAndForeignCheckpoints) {
    const fs::path cut = copy_run("cut"), model = latest_dir(cut) / "model.safetensors";
    fs::resize_file(model, fs::file_size(model) / 2);
    expect(run_landmark({"eval", latest_dir(cut).string(), "--split", "test"}), 1,
           {"safetensors file '" + model.string() + "'", "lie outside the data section"});
    fs::resize_file(model, 5);
    expect(run_landmark({"info", latest_dir(cut).string()}), 1,
           {"file of 5 bytes is too short for the 8-byte header length"});

    const fs::path foreign = copy_run("foreign"), ck = latest_dir(foreign);
    fs::copy_file(ck / "optimizer.safetensors", ck / "model.safetensors",
                  fs::copy_options::overwrite_existing);
    expect(run_landmark({"eval", ck.string(), "--split", "test"}), 1,
           {"model.safetensors does not match the model (different model shape or attention "
            "type?)",
            "missing: 'encoder.embedding.weight'", "unexpected:"});
}

TEST_F(BadCheckpoint, EditedOrBrokenSidecars) {
    const fs::path attn = copy_run("attn");  // a softmax run evaluated as Nystrom
    edit_sidecar(latest_dir(attn), [](nlohmann::json& j) {
        std::string c = j["config"];
        c.replace(c.find("type: softmax"), 13, "type: nystrom");
        j["config"] = c;
    });
    expect(run_landmark({"eval", latest_dir(attn).string(), "--split", "test"}), 1,
           {"does not match the model", "missing: 'encoder.layers.0.attention.",
            "model.attention.type is 'softmax' in the checkpoint but 'nystrom' in the config"});

    const fs::path dim = copy_run("dim");
    edit_sidecar(latest_dir(dim), [](nlohmann::json& j) {
        std::string c = j["config"];
        c.replace(c.find("dim: 16"), 7, "dim: 24");
        j["config"] = c;
    });
    expect(run_landmark({"predict", latest_dir(dim).string()}, "good\n"), 1,
           {"'encoder.embedding.weight' is float32[258, 16] in the checkpoint but float32[258, "
            "24] in the model",
            "model.dim is '16' in the checkpoint but '24' in the config"});

    const fs::path broken = copy_run("broken");
    std::ofstream(latest_dir(broken) / "trainer.json") << "{\"format\": \"landmark-";
    expect(run_landmark({"info", latest_dir(broken).string()}), 1, {"is not valid JSON"});

    const fs::path labels = copy_run("labels");
    edit_sidecar(latest_dir(labels), [](nlohmann::json& j) { j.erase("label_map"); });
    expect(run_landmark({"info", latest_dir(labels).string()}), 1,
           {"trainer.json: missing field 'label_map'"});
    edit_sidecar(latest_dir(labels), [](nlohmann::json& j) {
        j["label_map"] = {{"labels", {"a", "b", "c"}}};
    });
    expect(run_landmark({"info", latest_dir(labels).string()}), 1,
           {"label_map has 3 labels but task.num_classes is 2"});
}

TEST_F(BadCheckpoint, ResumingWithAnotherConfigOrABrokenPosition) {
    // On the original run: the resolved config records run.dir, so a copy would differ anyway.
    const fs::path run = dir_ / "run";
    expect(run_landmark({"train", config_, "--run-dir", run.string(), "--resume", "--set",
                         "train.steps=30"}),
           2, {"--resume: the config differs from the one"});
    // The thread count is not part of a run's identity (the result is the same for any count).
    expect(run_landmark(
               {"train", config_, "--run-dir", run.string(), "--resume", "--set", "run.threads=3"}),
           0, {"resumed"});
    expect(run_landmark({"train", config_, "--run-dir", run.string()}), 1,
           {"already holds checkpoints; pass --resume"});
    edit_sidecar(latest_dir(run), [](nlohmann::json& j) { j["data"]["position"] = -1; });
    expect(run_landmark({"train", config_, "--run-dir", run.string(), "--resume"}), 1,
           {"trainer.json: field 'data.position' must be a non-negative integer, got -1"});
    expect(run_landmark({"eval", path("nothing-here")}), 1, {"no such run or checkpoint"});
}

}  // namespace
}  // namespace lm::testing
