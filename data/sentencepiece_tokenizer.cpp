#include "data/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

namespace {

// SentencePiece skips lines longer than this many bytes, so longer lines are cut at spaces.
constexpr size_t kMaxSentenceBytes = 4096;

// Feeds the lines of the training texts to the SentencePiece trainer.
class LineIterator : public sentencepiece::SentenceIterator {
  public:
    explicit LineIterator(const std::vector<std::string>& texts) {
        for (const auto& text : texts) {
            add_text(text);
        }
    }
    bool done() const override { return position_ >= lines_.size(); }
    void Next() override { ++position_; }
    const std::string& value() const override { return lines_[position_]; }
    sentencepiece::util::Status status() const override { return {}; }
    size_t size() const { return lines_.size(); }

  private:
    void add_text(const std::string& text) {
        for (auto& line : split(replace_invalid_utf8(text), '\n')) {
            std::string_view rest = trim(line);
            while (rest.size() > kMaxSentenceBytes) {
                size_t cut = rest.rfind(' ', kMaxSentenceBytes);
                if (cut == std::string_view::npos || cut == 0) cut = kMaxSentenceBytes;
                // Do not cut inside a UTF-8 sequence.
                while (cut > 0 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80) {
                    --cut;
                }
                lines_.emplace_back(rest.substr(0, cut));
                rest = trim(rest.substr(cut));
            }
            if (!rest.empty()) lines_.emplace_back(rest);
        }
    }

    std::vector<std::string> lines_;
    size_t position_ = 0;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open the tokenizer model file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(std::string serialized_model)
    : serialized_model_(std::move(serialized_model)),
      processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
    const auto status = processor_->LoadFromSerializedProto(serialized_model_);
    if (!status.ok()) {
        throw DataError("sentencepiece: cannot load the model: " + status.ToString());
    }
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::unique_ptr<SentencePieceTokenizer> SentencePieceTokenizer::load(const std::string& path) {
    std::string bytes = read_file(path);
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
        nlohmann::json json;
        try {
            json = nlohmann::json::parse(bytes);
        } catch (const nlohmann::json::exception& e) {
            throw DataError(path + ": expected a tokenizer JSON file: " + e.what());
        }
        auto tokenizer = tokenizer_from_json(json);
        auto* sentencepiece = dynamic_cast<SentencePieceTokenizer*>(tokenizer.get());
        if (!sentencepiece) {
            throw DataError(path + ": expected a sentencepiece tokenizer, got type '" +
                            tokenizer->type() + "'");
        }
        tokenizer.release();
        return std::unique_ptr<SentencePieceTokenizer>(sentencepiece);
    }
    try {
        return std::make_unique<SentencePieceTokenizer>(std::move(bytes));
    } catch (const DataError& e) {
        throw DataError(path + ": " + e.what());
    }
}

int64_t SentencePieceTokenizer::vocab_size() const {
    return processor_->GetPieceSize() + kFirstTokenId;
}

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text) const {
    std::vector<int> pieces;
    const auto status = processor_->Encode(text, &pieces);
    if (!status.ok()) throw DataError("sentencepiece: encode failed: " + status.ToString());
    std::vector<int32_t> ids(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) {
        ids[i] = pieces[i] + kFirstTokenId;
    }
    return ids;
}

std::string SentencePieceTokenizer::decode(std::span<const int32_t> ids) const {
    std::vector<int> pieces;
    pieces.reserve(ids.size());
    for (int32_t id : ids) {
        if (id < 0 || id >= vocab_size()) {
            throw DataError("sentencepiece tokenizer: token id " + std::to_string(id) +
                            " is outside the vocabulary [0, " + std::to_string(vocab_size()) + ")");
        }
        if (id >= kFirstTokenId) pieces.push_back(id - kFirstTokenId);
    }
    std::string text;
    const auto status = processor_->Decode(pieces, &text);
    if (!status.ok()) throw DataError("sentencepiece: decode failed: " + status.ToString());
    return text;
}

std::vector<std::pair<std::string, float>> SentencePieceTokenizer::pieces() const {
    std::vector<std::pair<std::string, float>> out;
    for (int id = 0; id < processor_->GetPieceSize(); ++id) {
        out.emplace_back(processor_->IdToPiece(id), processor_->GetScore(id));
    }
    return out;
}

nlohmann::json SentencePieceTokenizer::to_json() const {
    return {{"type", type()},
            {"version", 1},
            {"vocab_size", vocab_size()},
            {"model_base64", base64_encode(serialized_model_)}};
}

std::string train_sentencepiece(const std::vector<std::string>& texts,
                                const SentencePieceTrainOptions& options) {
    if (options.model_type != "unigram" && options.model_type != "bpe") {
        throw DataError("sentencepiece: expected model type unigram or bpe, got '" +
                        options.model_type + "'");
    }
    LineIterator lines(texts);
    if (lines.size() == 0) throw DataError("sentencepiece: no training text");
    const std::unordered_map<std::string, std::string> args = {
        {"model_type", options.model_type},
        {"vocab_size", std::to_string(options.vocab_size)},
        {"character_coverage", std::to_string(options.character_coverage)},
        {"input_sentence_size", std::to_string(options.max_sentences)},
        {"shuffle_input_sentence", "true"},
        {"max_sentence_length", std::to_string(kMaxSentenceBytes)},
        {"unk_id", "0"},
        {"bos_id", "-1"},
        {"eos_id", "-1"},
        {"pad_id", "-1"},
        {"num_threads", "1"},  // deterministic result
        {"minloglevel", "2"},
    };
    // Sentence sampling uses SentencePiece's global generator; seed it for reproducible models.
    sentencepiece::SetRandomGeneratorSeed(static_cast<unsigned>(options.seed % 4294967291ULL));
    std::string model;
    const auto status = sentencepiece::SentencePieceTrainer::Train(args, &lines, &model);
    if (!status.ok()) throw DataError("sentencepiece: training failed: " + status.ToString());
    return model;
}

}  // namespace lm::data
