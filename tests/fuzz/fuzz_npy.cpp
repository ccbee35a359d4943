// .npy bytes -> parse_npy (the reader behind load_npy).
#include <string>

#include "core/tensor/npy.h"
#include "tests/fuzz/fuzz_targets.h"

namespace lm::fuzz {

void fuzz_npy(std::string_view bytes) {
    tolerate_errors([&] {
        const Tensor t = parse_npy(std::string(bytes), "fuzz.npy");
        // Whatever was accepted must serialise and read back to the same bytes.
        const std::string again = serialize_npy(t);
        LM_ASSERT(serialize_npy(parse_npy(again, "again.npy")) == again, "npy round trip");
    });
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_npy)
