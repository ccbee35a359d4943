#include "data/text_file.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TextFileOptions tsv(bool skip = false, bool utf8 = false) {
    return {TextFormat::Tsv, skip, utf8};
}
TextFileOptions jsonl(bool skip = false, bool utf8 = false) {
    return {TextFormat::Jsonl, skip, utf8};
}

class TextFileTest : public ::testing::Test {
  protected:
    std::string write(const std::string& content, const std::string& name = "data.tsv") {
        testing::write_file(dir_.file(name), content);
        return dir_.file(name);
    }
    testing::TempDir dir_;
};

TEST_F(TextFileTest, ReadsTsvWithHeaderBlankLinesAndCrlf) {
    const auto path = write("label\ttext\npos\tgreat\tfun\r\n\n   \nneg\tbad\n");
    const auto file = read_text_file(path, tsv());
    ASSERT_EQ(file.records.size(), 2u);
    EXPECT_EQ(file.records[0].label, "pos");
    EXPECT_EQ(file.records[0].text, "great\tfun");  // text is everything after the first TAB
    EXPECT_EQ(file.records[0].line, 2);
    EXPECT_EQ(file.records[1].text, "bad");
    EXPECT_EQ(file.records[1].line, 5);
}

TEST_F(TextFileTest, ReadsJsonl) {
    const auto path = write(
        "{\"label\": \"a\", \"text\": \"x\\ny\"}\n{\"text\": \"z\", \"label\": 3}\n", "d.jsonl");
    const auto file = read_text_file(path, jsonl());
    ASSERT_EQ(file.records.size(), 2u);
    EXPECT_EQ(file.records[0].text, "x\ny");
    EXPECT_EQ(file.records[1].label, "3");
}

TEST_F(TextFileTest, MalformedTsvLinesNameFileAndLine) {
    const auto cases = std::vector<std::pair<std::string, std::string>>{
        {"pos\tok\nno tab here\n", ":2: expected 'label<TAB>text', got no TAB in 'no tab here'"},
        {"\torphan text\n", ":1: expected a label before the TAB, got an empty label"},
        {"pos\t\n", ":1: expected a text after the TAB, got an empty text"},
    };
    for (const auto& [content, message] : cases) {
        const auto path = write(content);
        EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(path, tsv())), path + message);
    }
}

TEST_F(TextFileTest, MalformedJsonlLinesNameFileAndLine) {
    const auto cases = std::vector<std::pair<std::string, std::string>>{
        {"[1, 2]\n", ":1: expected a JSON object, got array"},
        {"{\"text\": \"x\"}\n", ":1: expected a \"label\" field"},
        {"{\"label\": \"a\"}\n", ":1: expected a \"text\" field"},
        {"{\"label\": 1.5, \"text\": \"x\"}\n",
         ":1: expected \"label\" to be a string or an integer, got number"},
        {"{\"label\": \"a\", \"text\": 7}\n", ":1: expected \"text\" to be a string, got number"},
        {"{\"label\": \"a\", \"text\": \"\"}\n", ":1: expected a non-empty \"text\""},
    };
    for (const auto& [content, message] : cases) {
        const auto path = write(content, "d.jsonl");
        EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(path, jsonl())), path + message);
    }
    const auto path = write("{\"label\": \"a\", \"text\": \"x\"}\n{oops\n", "d.jsonl");
    const std::string message = LM_DATA_ERROR_MESSAGE(read_text_file(path, jsonl()));
    EXPECT_EQ(message.rfind(path + ":2: expected a JSON object, got invalid JSON (", 0), 0u)
        << message;
    // A number beyond double's range is nlohmann's out_of_range, not parse_error (found by
    // fuzz_text; tests/fuzz/regressions/text/).
    const auto big = write("{\"label\": \"a\", \"text\": 1e400}\n", "big.jsonl");
    const std::string overflow = LM_DATA_ERROR_MESSAGE(read_text_file(big, jsonl()));
    EXPECT_EQ(overflow.rfind(big + ":1: expected a JSON object, got invalid JSON (", 0), 0u)
        << overflow;
}

TEST_F(TextFileTest, EmptyFilesAreErrors) {
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(write(""), tsv())),
              dir_.file("data.tsv") + ": empty file, expected lines of 'label<TAB>text'");
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(read_text_file(write("\n \n", "e.jsonl"), jsonl())),
        dir_.file("e.jsonl") + ": empty file, expected lines of {\"label\": ..., \"text\": ...}");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(dir_.file("none.tsv"), tsv())),
              dir_.file("none.tsv") + ": cannot open the file");
}

TEST_F(TextFileTest, NonUtf8TextIsAnErrorOnlyWhenUtf8IsRequired) {
    const auto path = write("pos\tcaf\xE9\n");
    EXPECT_EQ(read_text_file(path, tsv()).records[0].text, "caf\xE9");  // bytes are fine
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(path, tsv(false, true))),
              path + ":1: expected UTF-8 text, got the invalid byte 0xE9 at byte 3 of the text");
}

TEST_F(TextFileTest, NonUtf8LabelIsAlwaysAnError) {
    // Labels go into the checkpoint's JSON sidecar, which only holds UTF-8.
    const auto path = write("p\xFFs\tcafe\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(path, tsv())),
              path + ":1: expected UTF-8 label, got the invalid byte 0xFF at byte 1 of the label");
}

TEST_F(TextFileTest, SkipBadLinesCountsThem) {
    testing::WarningCapture warnings;
    const auto path = write("pos\tgood\nbroken\nneg\tfine\n\tno label\n");
    const auto file = read_text_file(path, tsv(true));
    EXPECT_EQ(file.records.size(), 2u);
    EXPECT_EQ(file.skipped_lines, 2);
    ASSERT_EQ(warnings.messages.size(), 1u);
    EXPECT_EQ(warnings.messages[0],
              path +
                  ": skipped 2 bad lines (first: line 2: expected 'label<TAB>text', got no "
                  "TAB in 'broken')");
    const auto all_bad = write("broken\nalso broken\n");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_text_file(all_bad, tsv(true))),
              all_bad +
                  ": no valid examples (2 bad lines skipped), expected lines of "
                  "'label<TAB>text'");
}

TEST(TextFormat, ResolvesFromTheExtension) {
    EXPECT_EQ(resolve_text_format("auto", "a.jsonl"), TextFormat::Jsonl);
    EXPECT_EQ(resolve_text_format("auto", "a.json"), TextFormat::Jsonl);
    EXPECT_EQ(resolve_text_format("auto", "a.tsv"), TextFormat::Tsv);
    EXPECT_EQ(resolve_text_format("tsv", "a.jsonl"), TextFormat::Tsv);
    EXPECT_THROW(resolve_text_format("csv", "a.csv"), DataError);
}

}  // namespace
}  // namespace lm::data
