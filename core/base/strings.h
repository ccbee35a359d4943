// String helpers for user-facing messages: "did you mean" suggestions and joined lists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lm {

// Levenshtein distance.
size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word` if it is plausibly a misspelling (at most max(2, len/3)
// edits away), else nullopt.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);
// suggestion(word, candidates) + "; known: a, b, c".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
std::string join(const std::vector<std::string>& parts, std::string_view separator = ", ");

}  // namespace lm
