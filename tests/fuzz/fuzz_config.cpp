// YAML bytes -> train::parse_config; an accepted config must survive dump_config -> parse_config
// unchanged (resume and the checkpoint sidecar rely on that round trip).
#include <cstdlib>
#include <string>

#include "tests/fuzz/fuzz_targets.h"

namespace lm::fuzz {

void fuzz_config(std::string_view bytes) {
    std::string dumped;
    tolerate_errors(
        [&] { dumped = train::dump_config(train::parse_config(std::string(bytes), "fuzz.yaml")); });
    if (dumped.empty()) return;
    const std::string again = train::dump_config(train::parse_config(dumped, "dumped.yaml"));
    if (again != dumped) std::abort();  // the resolved config does not read back as itself
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_config)
