#include "train/io/model_signature.h"

#include <nlohmann/json.hpp>

#include "train/config_fields.h"
#include "train/io/module_state.h"

namespace lm::train {

namespace {
bool in_signature(const std::string& path) {
    return path.rfind("model.", 0) == 0 && path.find("dropout") == std::string::npos;
}
}  // namespace

std::string model_signature(const Config& cfg) {
    nlohmann::json j = nlohmann::json::object();
    for (const Field& f : config_fields()) {
        if (in_signature(f.key)) j[f.key] = f.get(cfg);
    }
    return j.dump();
}

std::string signature_mismatch(const std::map<std::string, std::string>& metadata,
                               const Config& cfg,
                               const std::string& source) {
    const auto it = metadata.find(kModelSignatureKey);
    if (it == metadata.end()) return "";
    nlohmann::json saved;
    try {
        saved = nlohmann::json::parse(it->second);
    } catch (const nlohmann::json::exception&) {
        saved = nullptr;
    }
    LM_CHECK(saved.is_object(), source, ": metadata '", kModelSignatureKey,
             "' is not a JSON object of config keys");
    std::string out;
    for (const Field& f : config_fields()) {
        if (!in_signature(f.key) || !saved.contains(f.key)) continue;
        const nlohmann::json& v = saved[f.key];
        const std::string now = f.get(cfg);
        if (v.is_string() && v.get<std::string>() == now) continue;
        const std::string was = v.is_string() ? v.get<std::string>() : std::string("(malformed)");
        out +=
            "\n  " + f.key + " is '" + was + "' in the checkpoint but '" + now + "' in the config";
    }
    return out;
}

void load_model_weights(nn::Module& module,
                        const CheckpointData& ck,
                        const Config& cfg,
                        const std::string& source) {
    const std::string keys = signature_mismatch(ck.model_metadata, cfg, source);
    try {
        load_into_module(module, ck.model, source);
    } catch (const Error& e) {
        if (keys.empty()) throw;
        throw Error(std::string(e.what()) + keys);
    }
    LM_CHECK(keys.empty(), source, " was trained with another model architecture:", keys);
}

}  // namespace lm::train
