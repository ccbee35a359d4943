// trainer.json bytes -> the sidecar reader (JSON, the embedded YAML config, task metadata,
// tokenizer, label map and their consistency).
#include <string>

#include "tests/fuzz/fuzz_targets.h"
#include "train/io/sidecar.h"

namespace lm::fuzz {

void fuzz_sidecar(std::string_view bytes) {
    tolerate_errors([&] {
        const nlohmann::json j = train::parse_sidecar_json(std::string(bytes), "trainer.json");
        train::parse_sidecar(j, "trainer.json");
    });
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_sidecar)
