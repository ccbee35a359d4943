// IDX bytes (decompressed) -> parse_idx_images or parse_idx_labels (first byte: odd = labels).
#include <string>

#include "data/idx.h"
#include "tests/fuzz/fuzz_targets.h"

namespace lm::fuzz {

void fuzz_idx(std::string_view bytes) {
    if (bytes.empty()) return;
    const std::string body(bytes.substr(1));
    tolerate_errors([&] {
        if (bytes[0] & 1) {
            data::parse_idx_labels(body, "fuzz-labels-idx1-ubyte");
        } else {
            data::parse_idx_images(body, "fuzz-images-idx3-ubyte");
        }
    });
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_idx)
