// Small string helpers for user-facing messages.
#pragma once

#include <string>
#include <vector>

namespace lm {

// Levenshtein distance.
size_t edit_distance(const std::string& a, const std::string& b);
// The candidate closest to `word` if it is plausibly a misspelling (distance <= max(2, len/3)),
// else an empty string.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
// ", " joined.
std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ");

}  // namespace lm
