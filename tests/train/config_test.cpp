// Config errors name the file and line (or the --set), the key and what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "train/config.h"

namespace lm::train {
namespace {

// The message of the ConfigError that parsing `yaml` raises ("" if none).
std::string error_of(const std::string& yaml, const std::vector<std::string>& sets = {}) {
    try {
        parse_config(yaml, "test.yaml", sets);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

void expect_error(const std::string& yaml,
                  const std::vector<std::string>& parts,
                  const std::vector<std::string>& sets = {}) {
    const std::string msg = error_of(yaml, sets);
    ASSERT_FALSE(msg.empty()) << "expected an error for:\n" << yaml;
    for (const auto& p : parts)
        EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
}

const std::string kMinimal = "task:\n  name: listops\n";

TEST(Config, MinimalConfigGetsDocumentedDefaults) {
    const Config c = parse_config(kMinimal, "test.yaml");
    EXPECT_EQ(c.model.encoder.dim, 64);
    EXPECT_EQ(c.model.encoder.attention.type, "nystrom");
    EXPECT_EQ(c.model.encoder.attention.landmarks, 64);
    EXPECT_EQ(c.optimizer.type, "adamw");
    EXPECT_EQ(c.train.batch_size, 32);
}

TEST(Config, UnknownKeySuggestsTheClosestAndGivesTheLine) {
    expect_error(kMinimal + "model:\n  dimm: 32\n",
                 {"test.yaml:4", "model.dimm", "unknown key", "did you mean 'dim'"});
    expect_error(kMinimal + "modle:\n  dim: 32\n", {"test.yaml:3", "did you mean 'model'"});
    expect_error(kMinimal + "model:\n  attention:\n    landmrks: 8\n",
                 {"test.yaml:5", "model.attention.landmrks", "did you mean 'landmarks'"});
}

TEST(Config, WrongTypesAndRanges) {
    expect_error(kMinimal + "model:\n  dim: abc\n",
                 {"test.yaml:4", "model.dim", "expected an integer", "'abc'"});
    expect_error(kMinimal + "model:\n  dim: 0\n", {"model.dim", "integer in [1, 65536]", "'0'"});
    expect_error(kMinimal + "model:\n  dropout: 1.5\n",
                 {"model.dropout", "number in [0, 1)", "'1.5'"});
    expect_error(kMinimal + "train:\n  bucket_by_length: maybe\n",
                 {"train.bucket_by_length", "true or false"});
    expect_error(kMinimal + "model:\n  dim:\n    x: 1\n", {"model.dim", "got a mapping"});
    expect_error(kMinimal + "train:\n  steps: 1.5\n", {"train.steps", "expected an integer"});
}

TEST(Config, UnknownAttentionTypeSuggestsOne) {
    expect_error(kMinimal + "model:\n  attention:\n    type: nystorm\n",
                 {"test.yaml:5", "model.attention.type", "one of", "did you mean 'nystrom'"});
}

TEST(Config, SetOverrides) {
    const Config c = parse_config(
        kMinimal, "test.yaml", {"model.attention.type=softmax", "train.steps=7", "run.dir=/tmp/x"});
    EXPECT_EQ(c.model.encoder.attention.type, "softmax");
    EXPECT_EQ(c.train.steps, 7);
    EXPECT_EQ(c.run.dir, "/tmp/x");
    expect_error(kMinimal, {"--set model.attention.tpye=softmax", "did you mean 'type'"},
                 {"model.attention.tpye=softmax"});
    expect_error(kMinimal, {"--set train.steps=-3", "train.steps", "'-3'"}, {"train.steps=-3"});
    expect_error(kMinimal, {"expected key=value"}, {"train.steps"});
}

TEST(Config, CrossFieldChecks) {
    expect_error(kMinimal + "train:\n  batch_size: 10\n  grad_accum: 3\n",
                 {"train.batch_size", "multiple"});
    expect_error("model:\n  dim: 8\n", {"task.name", "missing"});
    expect_error(kMinimal + "train:\n  steps: 10\nschedule:\n  warmup_steps: 20\n",
                 {"schedule.warmup_steps"});
}

TEST(Config, InvalidYamlNamesTheLine) {
    expect_error(kMinimal + "model:\n  dim: [1, 2\n", {"test.yaml:", "invalid YAML"});
}

TEST(Config, TaskOptionsAreValidatedByTheDataModule) {
    expect_error("task:\n  name: listops\n  train_size: lots\n",
                 {"test.yaml:3", "task.train_size"});
    expect_error("task:\n  name: listops\n  trian_size: 5\n", {"did you mean 'train_size'"});
}

TEST(Config, DumpRoundTrips) {
    const Config c =
        parse_config(kMinimal + "model:\n  dim: 32\n", "test.yaml", {"optimizer.lr=0.003"});
    const std::string dumped = dump_config(c);
    const Config again = parse_config(dumped, "dumped.yaml");
    EXPECT_EQ(dump_config(again), dumped);
    EXPECT_EQ(again.model.encoder.dim, 32);
    EXPECT_DOUBLE_EQ(again.optimizer.lr, 0.003);
}

TEST(Config, IncludeAppliesTheBaseFirstAndDetectsCycles) {
    const auto dir = std::filesystem::temp_directory_path() / "landmark_config_test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "base.yaml") << kMinimal << "model:\n  dim: 16\n  layers: 3\n";
    std::ofstream(dir / "child.yaml") << "include: base.yaml\nmodel:\n  dim: 32\n";
    const Config c = load_config_file((dir / "child.yaml").string());
    EXPECT_EQ(c.model.encoder.dim, 32);
    EXPECT_EQ(c.model.encoder.layers, 3);
    std::ofstream(dir / "a.yaml") << "include: b.yaml\n";
    std::ofstream(dir / "b.yaml") << "include: a.yaml\n";
    try {
        load_config_file((dir / "a.yaml").string());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
    }
    std::ofstream(dir / "bad.yaml") << "include: base.yaml\nmodel:\n  heads: x\n";
    try {
        load_config_file((dir / "bad.yaml").string());
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.yaml:3"), std::string::npos) << e.what();
    }
}

TEST(Config, EveryShippedConfigLoads) {
    const std::filesystem::path root = std::filesystem::path(LANDMARK_SOURCE_DIR) / "configs";
    int n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (e.path().extension() != ".yaml" || e.path().filename() == "base.yaml") continue;
        EXPECT_NO_THROW(load_config_file(e.path().string())) << e.path();
        ++n;
    }
    EXPECT_GE(n, 12);
}

// docs/config.md is the output of `landmark config --describe`: regenerate it with
//   build/bin/landmark config --describe > docs/config.md
TEST(Config, DocsConfigMdIsTheDescribeOutput) {
    std::ifstream in(std::filesystem::path(LANDMARK_SOURCE_DIR) / "docs" / "config.md");
    ASSERT_TRUE(in) << "docs/config.md is missing";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(doc, describe_config())
        << "docs/config.md is stale: build/bin/landmark config --describe > docs/config.md";
}

}  // namespace
}  // namespace lm::train
