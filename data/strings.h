// String helpers of the data module: UTF-8 checks, base64, trimming and splitting (suggestions
// and joins are in core/base/strings.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/strings.h"

namespace lm::data {

// Byte offset of the first byte that is not part of a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are malformed), or nullopt when valid.
std::optional<size_t> find_invalid_utf8(std::string_view text);
// Copy of text with every malformed UTF-8 byte replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view text);

std::string base64_encode(std::string_view bytes);
// Throws DataError on characters outside the base64 alphabet or a bad length.
std::string base64_decode(std::string_view text);

std::string_view trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
// A short printable excerpt for error messages: control bytes escaped, cut after max_chars.
std::string excerpt(std::string_view text, size_t max_chars = 40);

}  // namespace lm::data
