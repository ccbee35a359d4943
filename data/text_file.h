// User classification data: TSV ("label<TAB>text") or JSONL ({"label": .., "text": ..}) files.
//
// Blank lines are ignored, a trailing "\r" is dropped, and a first TSV line "label<TAB>text" is
// taken as a header. Every malformed line throws DataError("file:line: expected ..., got ..."),
// or, with skip_bad_lines, is counted and skipped (one warning per file).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace lm::data {

enum class TextFormat { Tsv, Jsonl };
// "tsv", "jsonl" or "auto" (.jsonl and .json are JSONL, anything else TSV).
TextFormat resolve_text_format(const std::string& option, const std::string& path);

struct TextRecord {
    std::string label;
    std::string text;
    int64_t line = 0;  // 1-based line in the file
};

struct TextFileOptions {
    TextFormat format = TextFormat::Tsv;
    bool skip_bad_lines = false;
    bool require_utf8 = false;  // reject non-UTF-8 text (tokenizers other than byte)
};

struct TextFile {
    std::string path;
    std::vector<TextRecord> records;
    int64_t skipped_lines = 0;
};

// Throws DataError for a missing or empty file and when no valid line remains.
TextFile read_text_file(const std::string& path, const TextFileOptions& options);
// The same from an open stream (`path` names it in errors).
TextFile read_text_stream(std::istream& in,
                          const std::string& path,
                          const TextFileOptions& options);

// Parses one line (without its newline); throws DataError("expected ..., got ...") without
// location.
TextRecord parse_tsv_line(const std::string& line, bool require_utf8);
TextRecord parse_jsonl_line(const std::string& line, bool require_utf8);

}  // namespace lm::data
