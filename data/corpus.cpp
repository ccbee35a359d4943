#include "data/corpus.h"

#include <fstream>
#include <sstream>

#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

DocumentFormat parse_document_format(const std::string& name) {
    if (name == "lines") return DocumentFormat::Lines;
    if (name == "paragraphs") return DocumentFormat::Paragraphs;
    throw DataError("expected documents to be one of lines, paragraphs, got '" + name + "'");
}

Packing parse_packing(const std::string& name) {
    if (name == "pack") return Packing::Pack;
    if (name == "chunk") return Packing::Chunk;
    throw DataError("expected packing to be one of pack, chunk, got '" + name + "'");
}

namespace {

void check_utf8(const std::string& line, const std::string& source, int64_t number) {
    if (const auto bad = find_invalid_utf8(line)) {
        throw DataError(source + ":" + std::to_string(number) + ": expected UTF-8 text, got " +
                        "an invalid byte at column " + std::to_string(*bad + 1));
    }
}

}  // namespace

std::vector<std::string> split_documents(const std::string& text,
                                         DocumentFormat format,
                                         bool require_utf8,
                                         const std::string& source) {
    std::vector<std::string> documents;
    std::string current;  // the paragraph being collected
    auto close_paragraph = [&] {
        if (!current.empty()) documents.push_back(std::move(current));
        current.clear();
    };
    std::istringstream in(text);
    std::string line;
    for (int64_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (require_utf8) check_utf8(line, source, number);
        const bool blank = trim(line).empty();
        if (format == DocumentFormat::Lines) {
            if (!blank) documents.push_back(line);
        } else if (blank) {
            close_paragraph();
        } else {
            current += current.empty() ? line : "\n" + line;
        }
    }
    close_paragraph();
    return documents;
}

std::vector<std::string> read_documents(const std::string& path,
                                        DocumentFormat format,
                                        bool require_utf8) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open the corpus file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw DataError(path + ": cannot read the corpus file");
    std::vector<std::string> documents = split_documents(text.str(), format, require_utf8, path);
    if (documents.empty()) {
        throw DataError(path + ": expected at least one document (a non-blank line), got " +
                        (text.str().empty() ? "an empty file" : "only blank lines"));
    }
    return documents;
}

std::vector<std::vector<int32_t>> pack_sequences(const std::vector<std::vector<int32_t>>& documents,
                                                 int64_t length,
                                                 Packing packing) {
    if (length < 1) throw DataError("corpus: expected a sequence length >= 1");
    std::vector<std::vector<int32_t>> sequences;
    std::vector<int32_t> window;
    auto flush = [&] {
        if (!window.empty()) sequences.push_back(std::move(window));
        window.clear();
    };
    for (const auto& document : documents) {
        for (int32_t id : document) {
            window.push_back(id);
            if (static_cast<int64_t>(window.size()) == length) flush();
        }
        if (packing == Packing::Chunk) flush();
    }
    flush();
    return sequences;
}

}  // namespace lm::data
