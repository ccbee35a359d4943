// Shared by the text tasks: the tokenizer chosen by the task options, and truncation.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/task_options.h"
#include "data/tokenizer.h"

namespace lm::data {

enum class Truncation { Head, Tail, HeadAndTail };
// "head", "tail" or "head+tail"; throws DataError otherwise.
Truncation parse_truncation(const std::string& policy);

// Keeps at most max_length ids: the first (head), the last (tail), or the first ceil(n/2) and
// the last floor(n/2) (head+tail).
std::vector<int32_t> truncate_tokens(std::vector<int32_t> ids,
                                     int64_t max_length,
                                     Truncation policy);

// tokenizer=byte gives the byte tokenizer; tokenizer=sentencepiece loads tokenizer_model
// (a .model file or a tokenizer .json). Throws DataError naming the fix when it is missing.
std::unique_ptr<Tokenizer> make_text_tokenizer(const TaskOptions& options);

// Encodes and truncates. Non-byte tokenizers see invalid UTF-8 replaced by U+FFFD (callers that
// must reject such text check it first).
std::vector<int32_t> encode_text(const Tokenizer& tokenizer,
                                 std::string_view text,
                                 int64_t max_length,
                                 Truncation policy);

}  // namespace lm::data
