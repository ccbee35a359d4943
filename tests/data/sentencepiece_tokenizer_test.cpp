#include "data/sentencepiece_tokenizer.h"

#include <gtest/gtest.h>

#include "core/base/xoshiro.h"
#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

// A small corpus of made-up sentences over a fixed word list.
std::vector<std::string> corpus() {
    const std::vector<std::string> words = {"the",    "cat",   "sat",   "on",    "mat",   "dog",
                                            "ran",    "far",   "away",  "from",  "home",  "quickly",
                                            "slowly", "under", "tree",  "river", "stone", "bright",
                                            "light",  "dark",  "night", "day"};
    Rng rng(1);
    std::vector<std::string> texts;
    for (int t = 0; t < 300; ++t) {
        std::string text;
        for (int w = 0; w < 12; ++w) {
            if (w > 0) text += ' ';
            text += words[rng.below(words.size())];
        }
        texts.push_back(text + ".\nsecond line " + std::to_string(t % 7));
    }
    return texts;
}

class SentencePieceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SentencePieceTest, TrainsEncodesAndRoundTrips) {
    SentencePieceTrainOptions options;
    options.model_type = GetParam();
    options.vocab_size = 60;
    const std::string model = train_sentencepiece(corpus(), options);
    SentencePieceTokenizer tokenizer(model);
    EXPECT_EQ(tokenizer.vocab_size(), 62);
    const std::string text = "the cat sat on the mat";
    const auto ids = tokenizer.encode(text);
    ASSERT_FALSE(ids.empty());
    for (int32_t id : ids) {
        EXPECT_GE(id, kFirstTokenId);
        EXPECT_LT(id, tokenizer.vocab_size());
    }
    EXPECT_LT(ids.size(), text.size());  // pieces are longer than bytes
    EXPECT_EQ(tokenizer.decode(ids), text);

    const auto restored = tokenizer_from_json(nlohmann::json::parse(tokenizer.to_json().dump()));
    EXPECT_EQ(restored->type(), "sentencepiece");
    EXPECT_EQ(restored->encode(text), ids);
}

INSTANTIATE_TEST_SUITE_P(ModelTypes, SentencePieceTest, ::testing::Values("unigram", "bpe"));

TEST(SentencePiece, TrainingIsDeterministic) {
    SentencePieceTrainOptions options;
    options.vocab_size = 50;
    EXPECT_EQ(train_sentencepiece(corpus(), options), train_sentencepiece(corpus(), options));
}

TEST(SentencePiece, LoadsModelAndJsonFiles) {
    testing::TempDir dir;
    SentencePieceTrainOptions options;
    options.vocab_size = 50;
    const std::string model = train_sentencepiece(corpus(), options);
    testing::write_file(dir.file("m.model"), model);
    testing::write_file(dir.file("m.json"), SentencePieceTokenizer(model).to_json().dump());
    const auto from_model = SentencePieceTokenizer::load(dir.file("m.model"));
    const auto from_json = SentencePieceTokenizer::load(dir.file("m.json"));
    EXPECT_EQ(from_model->serialized_model(), model);
    EXPECT_EQ(from_json->encode("the dog"), from_model->encode("the dog"));
}

TEST(SentencePiece, BadInputIsAnError) {
    testing::TempDir dir;
    testing::write_file(dir.file("bad.model"), "not a model");
    EXPECT_THROW(SentencePieceTokenizer::load(dir.file("bad.model")), DataError);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(SentencePieceTokenizer::load(dir.file("none.model"))),
              dir.file("none.model") + ": cannot open the tokenizer model file");
    testing::write_file(dir.file("byte.json"), ByteTokenizer().to_json().dump());
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(SentencePieceTokenizer::load(dir.file("byte.json"))),
              dir.file("byte.json") + ": expected a sentencepiece tokenizer, got type 'byte'");
    SentencePieceTrainOptions options;
    options.model_type = "word2vec";
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(train_sentencepiece(corpus(), options)),
              "sentencepiece: expected model type unigram or bpe, got 'word2vec'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(train_sentencepiece({}, SentencePieceTrainOptions{})),
              "sentencepiece: no training text");
}

TEST(SentencePiece, TrainsOnTextWithInvalidUtf8) {
    auto texts = corpus();
    texts[0] += " \xFF\xFE broken";
    SentencePieceTrainOptions options;
    options.vocab_size = 50;
    EXPECT_NO_THROW(train_sentencepiece(texts, options));
}

}  // namespace
}  // namespace lm::data
