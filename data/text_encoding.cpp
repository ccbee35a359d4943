#include "data/text_encoding.h"

#include "data/error.h"
#include "data/sentencepiece_tokenizer.h"
#include "data/strings.h"

namespace lm::data {

Truncation parse_truncation(const std::string& policy) {
    if (policy == "head") return Truncation::Head;
    if (policy == "tail") return Truncation::Tail;
    if (policy == "head+tail") return Truncation::HeadAndTail;
    throw DataError("expected truncation head, tail or head+tail, got '" + policy + "'");
}

std::vector<int32_t> truncate_tokens(std::vector<int32_t> ids,
                                     int64_t max_length,
                                     Truncation policy) {
    const auto length = static_cast<int64_t>(ids.size());
    if (length <= max_length) return ids;
    switch (policy) {
        case Truncation::Head:
            ids.resize(max_length);
            return ids;
        case Truncation::Tail:
            return std::vector<int32_t>(ids.end() - max_length, ids.end());
        default: {
            const int64_t head = (max_length + 1) / 2, tail = max_length / 2;
            std::vector<int32_t> kept(ids.begin(), ids.begin() + head);
            kept.insert(kept.end(), ids.end() - tail, ids.end());
            return kept;
        }
    }
}

std::unique_ptr<Tokenizer> make_text_tokenizer(const TaskOptions& options) {
    if (options.tokenizer == "byte") {
        if (!options.tokenizer_model.empty()) {
            throw DataError(
                "task option tokenizer_model is set but tokenizer is 'byte'; add "
                "tokenizer=sentencepiece to use the model");
        }
        return std::make_unique<ByteTokenizer>();
    }
    if (options.tokenizer == "sentencepiece") {
        if (options.tokenizer_model.empty()) {
            throw DataError(
                "tokenizer=sentencepiece needs tokenizer_model=PATH (a .model or "
                ".json file); train one with `landmark tokenizer train " +
                options.name + " --type unigram --vocab-size 8000 --out PREFIX`");
        }
        return SentencePieceTokenizer::load(options.tokenizer_model);
    }
    throw DataError("expected tokenizer byte or sentencepiece, got '" + options.tokenizer + "'");
}

std::vector<int32_t> encode_text(const Tokenizer& tokenizer,
                                 std::string_view text,
                                 int64_t max_length,
                                 Truncation policy) {
    if (tokenizer.type() == "byte") {
        // Encode only what survives truncation.
        const auto length = static_cast<int64_t>(text.size());
        if (length > max_length && policy == Truncation::Head) text = text.substr(0, max_length);
        if (length > max_length && policy == Truncation::Tail) {
            text = text.substr(length - max_length);
        }
        return truncate_tokens(tokenizer.encode(text), max_length, policy);
    }
    if (!find_invalid_utf8(text)) {
        return truncate_tokens(tokenizer.encode(text), max_length, policy);
    }
    return truncate_tokens(tokenizer.encode(replace_invalid_utf8(text)), max_length, policy);
}

}  // namespace lm::data
