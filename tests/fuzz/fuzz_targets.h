// Entry points of the libFuzzer targets (tests/fuzz/fuzz_<target>.cpp, built with
// -DLANDMARK_FUZZ=ON by tools/fuzz.sh), shared with the regression test that replays
// tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/ in the normal suite.
//
// Each entry point hands untrusted bytes to a reader. The reader may reject them only with the
// framework's own errors (lm::Error, lm::data::DataError, lm::train::ConfigError), which the
// entry point catches; a crash, a sanitizer report, a hang or any other exception (a raw
// std::out_of_range, a JSON library error, std::bad_alloc) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/base/check.h"
#include "data/error.h"
#include "train/config.h"

namespace lm::fuzz {

void fuzz_safetensors(std::string_view bytes);  // safetensors reader + checkpoint tensor checks
void fuzz_sidecar(std::string_view bytes);      // trainer.json sidecar (config, tokenizer, ...)
void fuzz_npy(std::string_view bytes);          // .npy reader
void fuzz_config(std::string_view bytes);       // YAML config reader (train::parse_config)
void fuzz_text(std::string_view bytes);         // TSV / JSONL reader (first byte: options)
void fuzz_idx(std::string_view bytes);          // IDX images / labels (first byte: which)

struct Target {
    const char* name;  // the directory name under tests/fuzz/{corpus,regressions}/
    void (*run)(std::string_view bytes);
};
inline const std::vector<Target>& all_targets() {
    static const std::vector<Target> targets = {
        {"safetensors", fuzz_safetensors}, {"sidecar", fuzz_sidecar}, {"npy", fuzz_npy},
        {"config", fuzz_config},           {"text", fuzz_text},       {"idx", fuzz_idx},
    };
    return targets;
}

// Runs f, swallowing the errors a reader may legitimately throw (every landmark error derives
// from lm::Error: DataError, ConfigError, ...).
template <class F>
void tolerate_errors(F&& f) {
    try {
        f();
    } catch (const Error&) {
    }
}

}  // namespace lm::fuzz

// Defines the libFuzzer entry point for one target (only in the libFuzzer build).
#ifdef LANDMARK_LIBFUZZER
#define LM_FUZZ_ENTRY(fn)                                                     \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
        fn(std::string_view(reinterpret_cast<const char*>(data), size));      \
        return 0;                                                             \
    }
#else
#define LM_FUZZ_ENTRY(fn)
#endif
