#include "data/text_file.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "data/error.h"
#include "data/strings.h"

namespace lm::data {

namespace {

std::string type_name(const nlohmann::json& value) {
    return value.is_null() ? "null" : std::string(value.type_name());
}

void check_utf8(const std::string& text, bool require_utf8, const char* what = "text") {
    if (!require_utf8) return;
    if (const auto offset = find_invalid_utf8(text)) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*offset]));
        throw DataError("expected UTF-8 " + std::string(what) + ", got the invalid byte " +
                        std::string(hex) + " at byte " + std::to_string(*offset) + " of the " +
                        what);
    }
}

std::string describe_format(TextFormat format) {
    return format == TextFormat::Tsv ? "lines of 'label<TAB>text'"
                                     : "lines of {\"label\": ..., \"text\": ...}";
}

}  // namespace

TextFormat resolve_text_format(const std::string& option, const std::string& path) {
    if (option == "tsv") return TextFormat::Tsv;
    if (option == "jsonl") return TextFormat::Jsonl;
    if (option != "auto") {
        throw DataError("expected format auto, tsv or jsonl, got '" + option + "'");
    }
    const auto ends_with = [&](const std::string& suffix) {
        return path.size() >= suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".jsonl") || ends_with(".json") ? TextFormat::Jsonl : TextFormat::Tsv;
}

TextRecord parse_tsv_line(const std::string& line, bool require_utf8) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
        throw DataError("expected 'label<TAB>text', got no TAB in '" + excerpt(line) + "'");
    }
    TextRecord record{line.substr(0, tab), line.substr(tab + 1), 0};
    if (trim(record.label).empty()) {
        throw DataError("expected a label before the TAB, got an empty label");
    }
    if (record.text.empty()) throw DataError("expected a text after the TAB, got an empty text");
    // Labels are always UTF-8: they are written into the checkpoint's JSON sidecar.
    check_utf8(record.label, true, "label");
    check_utf8(record.text, require_utf8);
    return record;
}

TextRecord parse_jsonl_line(const std::string& line, bool require_utf8) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
        // Not only parse_error: a number too large for a double ("1e604") is out_of_range.
        throw DataError("expected a JSON object, got invalid JSON (" + std::string(e.what()) + ")");
    }
    if (!json.is_object()) throw DataError("expected a JSON object, got " + type_name(json));
    for (const char* key : {"label", "text"}) {
        if (!json.contains(key)) throw DataError(std::string("expected a \"") + key + "\" field");
    }
    TextRecord record;
    const auto& label = json["label"];
    if (label.is_string()) {
        record.label = label.get<std::string>();
    } else if (label.is_number_integer()) {
        record.label = std::to_string(label.get<int64_t>());
    } else {
        throw DataError("expected \"label\" to be a string or an integer, got " + type_name(label));
    }
    if (!json["text"].is_string()) {
        throw DataError("expected \"text\" to be a string, got " + type_name(json["text"]));
    }
    record.text = json["text"].get<std::string>();
    if (record.label.empty()) throw DataError("expected a non-empty \"label\"");
    if (record.text.empty()) throw DataError("expected a non-empty \"text\"");
    check_utf8(record.text, require_utf8);
    return record;
}

TextFile read_text_file(const std::string& path, const TextFileOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open the file");
    return read_text_stream(in, path, options);
}

TextFile read_text_stream(std::istream& in,
                          const std::string& path,
                          const TextFileOptions& options) {
    TextFile file{path, {}, 0};
    std::string line, first_skip;
    bool any_content = false;
    for (int64_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty()) continue;
        any_content = true;
        if (number == 1 && options.format == TextFormat::Tsv && line == "label\ttext") continue;
        try {
            TextRecord record = options.format == TextFormat::Tsv
                                    ? parse_tsv_line(line, options.require_utf8)
                                    : parse_jsonl_line(line, options.require_utf8);
            record.line = number;
            file.records.push_back(std::move(record));
        } catch (const DataError& e) {
            if (!options.skip_bad_lines) throw error_at_line(path, number, e.what());
            if (file.skipped_lines++ == 0) {
                first_skip = "line " + std::to_string(number) + ": " + e.what();
            }
        }
    }
    if (!any_content) {
        throw DataError(path + ": empty file, expected " + describe_format(options.format));
    }
    if (file.skipped_lines > 0) {
        warn(path + ": skipped " + std::to_string(file.skipped_lines) +
             " bad lines (first: " + first_skip + ")");
    }
    if (file.records.empty()) {
        throw DataError(path + ": no valid examples (" + std::to_string(file.skipped_lines) +
                        " bad lines skipped), expected " + describe_format(options.format));
    }
    return file;
}

}  // namespace lm::data
