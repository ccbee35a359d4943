#include <gtest/gtest.h>

#include "core/base/xoshiro.h"
#include "data/sentencepiece_tokenizer.h"
#include "data/task.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

class TextTaskTest : public ::testing::Test {
  protected:
    std::string write(const std::string& name, const std::string& content) {
        testing::write_file(dir_.file(name), content);
        return dir_.file(name);
    }
    TaskOptions options(std::vector<std::string> assignments) {
        TaskOptions o;
        o.name = "text";
        o.cache = false;
        for (const auto& a : assignments) {
            apply_task_option(o, a);
        }
        return o;
    }
    testing::TempDir dir_;
};

TEST_F(TextTaskTest, SeparateFilesWithLabelsFromTrain) {
    const auto train = write("train.tsv", "pos\tgood\nneg\tbad\npos\tfine\n");
    const auto validation = write("val.jsonl", "{\"label\": \"neg\", \"text\": \"awful\"}\n");
    auto task = make_task(options({"train_file=" + train, "validation_file=" + validation}));
    const TaskInfo info = task->info();
    EXPECT_EQ(info.class_names, (std::vector<std::string>{"neg", "pos"}));
    EXPECT_EQ(info.vocab_size, 258);
    EXPECT_EQ(task->label_map_json().dump(), R"({"labels":["neg","pos"]})");
    const auto& validation_examples = task->examples(Split::Validation);
    ASSERT_EQ(validation_examples.size(), 1u);
    EXPECT_EQ(validation_examples[0].label, 0);
    EXPECT_EQ(task->tokenizer().decode(validation_examples[0].tokens), "awful");
    // No test file: the test split is carved from the train file by hash.
    EXPECT_EQ(task->examples(Split::Train).size() + task->examples(Split::Test).size(), 3u);
}

TEST_F(TextTaskTest, UnknownLabelAtEvaluationNamesFileAndLine) {
    const auto train = write("train.tsv", "pos\tgood\nneg\tbad\n");
    const auto test = write("test.tsv", "pos\tok\nmaybe\tunsure\n");
    auto task = make_task(options(
        {"train_file=" + train, "test_file=" + test, "validation_fraction=0", "test_fraction=0"}));
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(task->examples(Split::Test)),
              test +
                  ":2: unknown label 'maybe'; expected one of the labels of the train split: "
                  "neg, pos");
    auto fixed = make_task(
        options({"train_file=" + train, "labels=pos", "test_fraction=0", "validation_fraction=0"}));
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(fixed->info()),
              train +
                  ":2: unknown label 'neg'; expected one of the labels of the task option "
                  "labels: pos");
}

TEST_F(TextTaskTest, OneFileSplitByASeededHash) {
    std::string content;
    for (int i = 0; i < 1000; ++i) {
        content += (i % 3 ? "a\t" : "b\t") + std::to_string(i) + "\n";
    }
    const auto file = write("all.tsv", content);
    auto task =
        make_task(options({"file=" + file, "validation_fraction=0.2", "test_fraction=0.1"}));
    const auto n_validation = task->examples(Split::Validation).size();
    const auto n_test = task->examples(Split::Test).size();
    EXPECT_EQ(task->examples(Split::Train).size() + n_validation + n_test, 1000u);
    EXPECT_NEAR(static_cast<double>(n_validation), 200, 50);
    EXPECT_NEAR(static_cast<double>(n_test), 100, 40);
    auto again =
        make_task(options({"file=" + file, "validation_fraction=0.2", "test_fraction=0.1"}));
    EXPECT_EQ(again->examples(Split::Test), task->examples(Split::Test));
    auto other_seed = make_task(
        options({"file=" + file, "validation_fraction=0.2", "test_fraction=0.1", "seed=5"}));
    EXPECT_NE(other_seed->examples(Split::Test), task->examples(Split::Test));
    // Equal texts land in the same split.
    const auto duplicates = write("dup.tsv", std::string("a\tsame\n") + "b\tsame\n" + "a\tother\n");
    auto dup = make_task(options({"file=" + duplicates, "test_fraction=0.5"}));
    const auto texts = dup->texts(Split::Test);
    EXPECT_TRUE(std::count(texts.begin(), texts.end(), "same") % 2 == 0);
}

TEST_F(TextTaskTest, BadInputAndOptions) {
    const auto empty = write("empty.tsv", "");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({"file=" + empty}))->info()),
              empty + ": empty file, expected lines of 'label<TAB>text'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({}))),
              "text: expected exactly one of the task options file (one file, split by hash) and "
              "train_file (separate split files)");
    const auto bad = write("bad.tsv", "pos\tok\nbroken line\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({"file=" + bad}))->info()),
              bad + ":2: expected 'label<TAB>text', got no TAB in 'broken line'");
    testing::WarningCapture warnings;
    auto skipping = make_task(options(
        {"file=" + bad, "skip_bad_lines=true", "test_fraction=0", "validation_fraction=0"}));
    EXPECT_EQ(skipping->examples(Split::Train).size(), 1u);
    EXPECT_EQ(skipping->skipped_bad_lines(), 1);
}

TEST_F(TextTaskTest, SentencePieceTokenizerRejectsNonUtf8Text) {
    std::vector<std::string> texts;
    Rng rng(2);
    const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "omega", "pi"};
    std::string content;
    for (int i = 0; i < 200; ++i) {
        std::string text;
        for (int w = 0; w < 8; ++w) {
            text += words[rng.below(words.size())] + " ";
        }
        texts.push_back(text);
        content += (i % 2 ? "x\t" : "y\t") + text + "\n";
    }
    SentencePieceTrainOptions spm;
    spm.vocab_size = 20;
    testing::write_file(dir_.file("m.model"), train_sentencepiece(texts, spm));
    const auto file = write("good.tsv", content);
    auto task = make_task(options(
        {"file=" + file, "tokenizer=sentencepiece", "tokenizer_model=" + dir_.file("m.model")}));
    EXPECT_EQ(task->info().vocab_size, 22);
    EXPECT_LT(task->examples(Split::Train)[0].tokens.size(), texts[0].size());
    const auto latin1 = write("latin1.tsv", "x\tcaf\xE9\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({"file=" + latin1, "tokenizer=sentencepiece",
                                                       "tokenizer_model=" + dir_.file("m.model")}))
                                        ->info()),
              latin1 + ":1: expected UTF-8 text, got the invalid byte 0xE9 at byte 3 of the text");
}

}  // namespace
}  // namespace lm::data
