// `landmark predict` and `eval` of a trained text classifier (Nystrom, padding: longest): a line
// predicted alone gives what it gives inside a file, --scores prints label, probability and every
// class probability, --batch-size changes nothing but speed, and a batch-coupled configuration
// (the reference's Nystrom) is warned about.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm {
namespace {

using testing::run_landmark;
using testing::RunResult;
namespace fs = std::filesystem;

// Label, then text of 2 to 40 words: lengths vary so that "longest" padding moves.
std::string tsv(int lines, int seed) {
    const char* words[3][4] = {{"red", "apple", "cherry", "rose"},
                               {"blue", "sky", "ocean", "ice"},
                               {"green", "leaf", "grass", "frog"}};
    const char* labels[] = {"warm", "cold", "plant"};
    std::string out;
    for (int i = 0; i < lines; ++i) {
        const int c = (i * 5 + seed) % 3;
        out += std::string(labels[c]) + "\t";
        const int n = 2 + (i * 13 + seed * 7) % 39;
        for (int w = 0; w < n; ++w) {
            // mostly the class's words, some of another class's
            const int from = (w * 7 + i) % 5 == 0 ? (c + 1) % 3 : c;
            out += std::string(w ? " " : "") + words[from][(w * 3 + i + seed) % 4];
        }
        out += "\n";
    }
    return out;
}

std::string texts_of(const std::string& tsv_text) {
    std::istringstream in(tsv_text);
    std::string out;
    for (std::string line; std::getline(in, line);)
        out += line.substr(line.find('\t') + 1) + "\n";
    return out;
}

std::vector<std::string> lines_of(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// Numbers of a --scores row (after the label).
std::vector<double> scores(const std::string& row) {
    std::istringstream in(row);
    std::string field;
    std::getline(in, field, '\t');
    std::vector<double> out;
    while (std::getline(in, field, '\t'))
        out.push_back(std::stod(field));
    return out;
}

class PredictCli : public testing::CliTest {
  protected:
    // Trains a byte-level Nystrom classifier with the given extra attention options.
    std::string train(const std::string& name, const std::string& attention_extra) {
        write("train.tsv", tsv(200, 1));
        write("dev.tsv", tsv(30, 2));
        const std::string cfg = write(
            name + ".yaml",
            "task:\n  name: text\n  train_file: " + path("train.tsv") +
                "\n  validation_file: " + path("dev.tsv") + "\n  test_file: " + path("dev.tsv") +
                "\n  max_length: 256\n  cache: false\nmodel:\n  dim: 16\n  ffn_dim: 32\n"
                "  heads: 2\n  head_dim: 8\n  layers: 1\n  attention:\n    type: nystrom\n"
                "    landmarks: 16\n    conv_kernel: 5\n" +
                attention_extra +
                "train:\n  steps: 30\n  batch_size: 16\n  padding: longest\n  pad_multiple: 8\n"
                "optimizer:\n  lr: 3.0e-3\neval:\n  every: 0\nrun:\n  progress: log\n");
        const RunResult r = run_landmark({"train", cfg, "--run-dir", path(name)});
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return path(name);
    }
};

TEST_F(PredictCli, ALineAloneGivesWhatItGivesInsideAFile) {
    const std::string run = train("run", "");
    const std::string texts = texts_of(tsv(12, 3));
    const std::string file = write("texts.txt", texts);
    const RunResult all = run_landmark({"predict", run, file, "--scores"});
    ASSERT_EQ(all.exit_code, 0) << all.output;
    const auto rows = lines_of(all.output);
    ASSERT_EQ(rows.size(), 13u) << all.output;                             // header + 12
    EXPECT_EQ(rows[0], "label\tprobability\tp(cold)\tp(plant)\tp(warm)");  // sorted labels
    const auto inputs = lines_of(texts);
    for (size_t i = 0; i < inputs.size(); ++i) {
        const RunResult one = run_landmark({"predict", run, "--scores"}, inputs[i] + "\n");
        ASSERT_EQ(one.exit_code, 0) << one.output;
        const auto one_rows = lines_of(one.output);
        ASSERT_EQ(one_rows.size(), 2u) << one.output;
        EXPECT_EQ(one_rows[1].substr(0, one_rows[1].find('\t')),
                  rows[i + 1].substr(0, rows[i + 1].find('\t')))
            << "line " << i;
        const auto a = scores(one_rows[1]), b = scores(rows[i + 1]);
        ASSERT_EQ(a.size(), 4u);
        double total = 0;
        for (size_t c = 0; c < a.size(); ++c) {
            EXPECT_NEAR(a[c], b[c], 2e-6) << "line " << i << " column " << c;
            if (c > 0) total += a[c];
        }
        EXPECT_NEAR(total, 1.0, 1e-5);
        EXPECT_EQ(a[0], *std::max_element(a.begin() + 1, a.end()));
    }
    // plain predict: one label per line, the same labels
    const RunResult labels = run_landmark({"predict", run}, texts);
    ASSERT_EQ(labels.exit_code, 0) << labels.output;
    const auto label_rows = lines_of(labels.output);
    ASSERT_EQ(label_rows.size(), 12u);
    for (size_t i = 0; i < label_rows.size(); ++i)
        EXPECT_EQ(label_rows[i], rows[i + 1].substr(0, rows[i + 1].find('\t')));
    EXPECT_EQ(all.output.find("warning"), std::string::npos) << all.output;
}

TEST_F(PredictCli, EvalBatchSizeChangesNothingButSpeed) {
    const std::string run = train("run", "");
    const RunResult a = run_landmark({"eval", run, "--data", path("dev.tsv"), "--batch-size", "1"});
    const RunResult b = run_landmark({"eval", run, "--data", path("dev.tsv"), "--batch-size", "7"});
    ASSERT_EQ(a.exit_code, 0) << a.output;
    EXPECT_EQ(a.output, b.output);
    EXPECT_NE(a.output.find("examples 30"), std::string::npos) << a.output;
    const RunResult bad = run_landmark({"eval", run, "--batch-size", "0"});
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST_F(PredictCli, TheReferenceNystromIsWarnedAbout) {
    const std::string run =
        train("reference", "    landmark_mode: reference\n    pinv_init: global\n");
    const std::string file = write("texts.txt", texts_of(tsv(5, 4)));
    RunResult r = run_landmark({"predict", run, file});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("depend on the other examples of its batch"), std::string::npos)
        << r.output;
    r = run_landmark({"predict", run, file, "--batch-size", "1"});
    EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
    const RunResult missing = run_landmark({"predict", run, path("nope.txt")});
    EXPECT_EQ(missing.exit_code, 1) << missing.output;
    EXPECT_NE(missing.output.find("nope.txt"), std::string::npos) << missing.output;
}

TEST_F(PredictCli, DataExportWritesASplitThatEvalReads) {
    const std::string run = train("run", "");
    const std::string out = path("dev.jsonl");
    const RunResult r =
        run_landmark({"data", "export", "text", "--opt", "train_file=" + path("train.tsv"), "--opt",
                      "validation_file=" + path("dev.tsv"), "--split", "validation", "--out", out});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // one {"label", "text"} record per example, in the file's order
    std::ifstream in(out);
    const auto tsv_rows = lines_of(tsv(30, 2));
    size_t n = 0;
    for (std::string line; std::getline(in, line); ++n) {
        const auto j = nlohmann::json::parse(line);
        ASSERT_LT(n, tsv_rows.size());
        const std::string& row = tsv_rows[n];
        EXPECT_EQ(j.at("label").get<std::string>(), row.substr(0, row.find('\t')));
        EXPECT_EQ(j.at("text").get<std::string>(), row.substr(row.find('\t') + 1));
    }
    EXPECT_EQ(n, 30u);
    // evaluating the export gives the same report as evaluating the TSV
    const RunResult a = run_landmark({"eval", run, "--data", out});
    const RunResult b = run_landmark({"eval", run, "--data", path("dev.tsv")});
    ASSERT_EQ(a.exit_code, 0) << a.output;
    EXPECT_EQ(a.output, b.output);
    const RunResult image = run_landmark({"data", "export", "listops", "--out", path("x.jsonl")});
    EXPECT_EQ(image.exit_code, 2) << image.output;
}

// A file's bytes with `from` replaced by as many spaces (keeps safetensors offsets valid).
void blank_out(const fs::path& file, const std::string& from) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = bytes.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    bytes.replace(at, from.size(), std::string(from.size(), ' '));
    std::ofstream(file, std::ios::binary) << bytes;
}

TEST_F(PredictCli, AVersionOneNystromCheckpointResumesWithTheReferenceLandmarks) {
    const std::string run = train("run", "");
    const std::string cfg = path("run.yaml");
    // make the final checkpoint look written before landmark_mode existed (version 1)
    std::ifstream latest_file(fs::path(run) / "checkpoints" / "latest");
    std::string latest;
    std::getline(latest_file, latest);
    const fs::path ck = fs::path(run) / "checkpoints" / latest;
    std::ifstream in(ck / "trainer.json");
    nlohmann::json j = nlohmann::json::parse(in);
    in.close();
    j["version"] = 1;
    std::string text = j["config"].get<std::string>();
    const std::string line = "    landmark_mode: per_example\n";
    ASSERT_NE(text.find(line), std::string::npos) << text;
    text.erase(text.find(line), line.size());
    j["config"] = text;
    std::ofstream(ck / "trainer.json") << j.dump(2);
    blank_out(ck / "model.safetensors",
              "\\\"model.attention.landmark_mode\\\":\\\"per_example\\\",");
    // it trained with the reference's landmarks: resuming with the new default is refused,
    // naming the key, and eval loads it with the reference's landmarks
    RunResult r = run_landmark({"train", cfg, "--run-dir", run, "--resume"});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("landmark_mode: reference"), std::string::npos) << r.output;
    r = run_landmark({"train", cfg, "--run-dir", run, "--resume", "--set",
                      "model.attention.landmark_mode=reference"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    r = run_landmark({"info", run});
    EXPECT_NE(r.output.find("landmark_mode: reference"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace lm
