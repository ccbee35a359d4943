// Plain-text documents and their packing into sequences (data/corpus.h).
#include <gtest/gtest.h>

#include "data/corpus.h"
#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

using Docs = std::vector<std::string>;
using Seqs = std::vector<std::vector<int32_t>>;

TEST(Corpus, DocumentsAreLinesOrBlankLineSeparatedBlocks) {
    const std::string text = "one\r\n\n  \ntwo a\ntwo b\n\n\nthree";
    EXPECT_EQ(split_documents(text, DocumentFormat::Lines, false, "t"),
              (Docs{"one", "two a", "two b", "three"}));
    EXPECT_EQ(split_documents(text, DocumentFormat::Paragraphs, false, "t"),
              (Docs{"one", "two a\ntwo b", "three"}));
    EXPECT_EQ(parse_document_format("paragraphs"), DocumentFormat::Paragraphs);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_document_format("words")),
              "expected documents to be one of lines, paragraphs, got 'words'");
}

TEST(Corpus, InvalidUtf8NamesTheLineWhenRequired) {
    const std::string text = "fine\nbad \xff byte\n";
    EXPECT_EQ(split_documents(text, DocumentFormat::Lines, false, "c.txt").size(), 2u);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(split_documents(text, DocumentFormat::Lines, true, "c.txt")),
              "c.txt:2: expected UTF-8 text, got an invalid byte at column 5");
}

TEST(Corpus, EmptyAndMissingFilesAreErrorsNamingTheFile) {
    testing::TempDir dir;
    testing::write_file(dir.file("empty.txt"), "");
    testing::write_file(dir.file("blank.txt"), "\n  \n");
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(read_documents(dir.file("empty.txt"), DocumentFormat::Lines, false)),
        dir.file("empty.txt") +
            ": expected at least one document (a non-blank line), got an empty file");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(
                  read_documents(dir.file("blank.txt"), DocumentFormat::Paragraphs, false)),
              dir.file("blank.txt") +
                  ": expected at least one document (a non-blank line), got only blank lines");
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(read_documents(dir.file("none.txt"), DocumentFormat::Lines, false)),
        dir.file("none.txt") + ": cannot open the corpus file");
}

TEST(Corpus, PackCrossesDocumentsAndChunkDoesNot) {
    const Seqs docs = {{2, 3, 4}, {}, {5, 6, 7, 8, 9}, {10}};
    EXPECT_EQ(pack_sequences(docs, 4, Packing::Pack), (Seqs{{2, 3, 4, 5}, {6, 7, 8, 9}, {10}}));
    EXPECT_EQ(pack_sequences(docs, 4, Packing::Chunk), (Seqs{{2, 3, 4}, {5, 6, 7, 8}, {9}, {10}}));
    EXPECT_EQ(pack_sequences(docs, 100, Packing::Pack), (Seqs{{2, 3, 4, 5, 6, 7, 8, 9, 10}}));
    EXPECT_TRUE(pack_sequences({{}, {}}, 4, Packing::Pack).empty());
    EXPECT_EQ(parse_packing("chunk"), Packing::Chunk);
    EXPECT_THROW(parse_packing("group"), DataError);
}

}  // namespace
}  // namespace lm::data
