// safetensors bytes -> parse_safetensors -> the checkpoint loader's checks against a small
// module (names, shapes, dtypes) and the model-signature metadata check.
#include <memory>

#include "layers/layer_norm.h"
#include "layers/linear.h"
#include "tests/fuzz/fuzz_targets.h"
#include "train/io/model_signature.h"
#include "train/io/module_state.h"
#include "train/io/safetensors.h"

namespace lm::fuzz {

namespace {
// proj.weight F32[3, 2], proj.bias F32[3], norm.weight F32[3], norm.bias F32[3].
class Tiny : public nn::Module {
  public:
    explicit Tiny(Generator& gen) {
        register_module("proj", std::make_shared<nn::Linear>(2, 3, true, gen));
        register_module("norm", std::make_shared<nn::LayerNorm>(3));
    }
};

nn::Module& tiny() {
    static Generator gen(7);
    static Tiny module(gen);
    return module;
}
}  // namespace

void fuzz_safetensors(std::string_view bytes) {
    tolerate_errors([&] {
        const train::SafetensorsFile file = train::parse_safetensors(bytes, "fuzz.safetensors");
        static const train::Config cfg;
        train::CheckpointData ck;
        ck.model = file.tensors;
        ck.model_metadata = file.metadata;
        train::load_model_weights(tiny(), ck, cfg, "fuzz.safetensors");
    });
}

}  // namespace lm::fuzz

LM_FUZZ_ENTRY(lm::fuzz::fuzz_safetensors)
