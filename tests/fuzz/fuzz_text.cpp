// TSV / JSONL bytes -> read_text_stream and the label map built from the labels. The first
// byte picks the options: bit 0 JSONL (else TSV), bit 1 skip_bad_lines, bit 2 require_utf8.
#include <sstream>
#include <string>
#include <vector>

#include "data/label_map.h"
#include "data/text_file.h"
#include "tests/fuzz/fuzz_targets.h"

namespace lm::fuzz {

void fuzz_text(std::string_view bytes) {
    if (bytes.empty()) return;
    static const bool quiet = [] {  // skipped-line warnings would flood stderr
        data::set_warning_sink([](std::string_view) {});
        return true;
    }();
    (void)quiet;
    const auto flags = static_cast<unsigned char>(bytes[0]);
    data::TextFileOptions options;
    options.format = flags & 1 ? data::TextFormat::Jsonl : data::TextFormat::Tsv;
    options.skip_bad_lines = (flags & 2) != 0;
    options.require_utf8 = (flags & 4) != 0;
    std::istringstream in{std::string(bytes.substr(1))};
    tolerate_errors([&] {
        const data::TextFile file = data::read_text_stream(in, "fuzz.txt", options);
        std::vector<std::string> labels;
        for (const auto& r : file.records)
            labels.push_back(r.label);
        const data::LabelMap map = data::LabelMap::from_observed(labels);
        data::LabelMap::from_json(map.to_json());
    });
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_text)
