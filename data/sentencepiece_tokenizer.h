// SentencePiece (unigram or BPE) tokenizer over libsentencepiece, with ids shifted by 2 so that
// 0 stays PAD and 1 stays CLS. The serialized model proto travels inside the JSON (base64).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "data/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace lm::data {

class SentencePieceTokenizer : public Tokenizer {
  public:
    // From a serialized ModelProto (the bytes of a .model file). Throws DataError if invalid.
    explicit SentencePieceTokenizer(std::string serialized_model);
    ~SentencePieceTokenizer() override;
    // Loads a .model file (or a tokenizer .json holding a sentencepiece model).
    static std::unique_ptr<SentencePieceTokenizer> load(const std::string& path);

    std::string type() const override { return "sentencepiece"; }
    int64_t vocab_size() const override;
    std::vector<int32_t> encode(std::string_view text) const override;
    std::string decode(std::span<const int32_t> ids) const override;
    nlohmann::json to_json() const override;
    const std::string& serialized_model() const { return serialized_model_; }
    // (piece, score) in SentencePiece id order; our id is the position + 2.
    std::vector<std::pair<std::string, float>> pieces() const;

  private:
    std::string serialized_model_;
    std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
};

struct SentencePieceTrainOptions {
    std::string model_type = "unigram";  // unigram|bpe
    int64_t vocab_size = 8000;
    double character_coverage = 1.0;
    int64_t max_sentences = 2000000;  // input_sentence_size; sampled by SentencePiece if more
    uint64_t seed = 0;                // shuffling of the input sentences
};

// Trains on `texts` (each split into lines; invalid UTF-8 is replaced by U+FFFD) and returns
// the serialized model. Throws DataError with SentencePiece's message on failure.
std::string train_sentencepiece(const std::vector<std::string>& texts,
                                const SentencePieceTrainOptions& options);

}  // namespace lm::data
