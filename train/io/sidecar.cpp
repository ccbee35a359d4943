#include "train/io/sidecar.h"

#include <limits>

#include "data/error.h"
#include "train/experiment.h"
#include "train/io/train_state.h"

namespace lm::train {

namespace {
using Json = nlohmann::json;

constexpr int64_t kMaxVocab = std::numeric_limits<int32_t>::max();
constexpr int64_t kMaxClasses = 1 << 20;
constexpr int64_t kMaxLength = 1 << 24;  // tokens per sequence

const Json& member(const Json& obj, const char* key, const std::string& where) {
    LM_CHECK(obj.is_object() && obj.contains(key), where, ": missing field '", key, "'");
    return obj[key];
}

int64_t integer(const Json& obj, const char* key, int64_t lo, int64_t hi, const std::string& w) {
    const Json& v = member(obj, key, w);
    LM_CHECK(v.is_number_integer(), w, ": field '", key, "' must be an integer, got ",
             v.type_name());
    // JSON keeps every non-negative integer as unsigned: check both bounds on either branch
    // (a vocab_size of 0 or 1 passed when only the upper bound was checked there).
    LM_CHECK(v.is_number_unsigned()
                 ? v.get<uint64_t>() <= static_cast<uint64_t>(hi) &&
                       (lo <= 0 || v.get<uint64_t>() >= static_cast<uint64_t>(lo))
                 : v.get<int64_t>() >= lo && v.get<int64_t>() <= hi,
             w, ": field '", key, "' must be in [", lo, ", ", hi, "]");
    return v.get<int64_t>();
}

std::string text(const Json& obj, const char* key, const std::string& where) {
    const Json& v = member(obj, key, where);
    LM_CHECK(v.is_string(), where, ": field '", key, "' must be a string, got ", v.type_name());
    return v.get<std::string>();
}

data::TaskInfo task_info(const Json& t, const std::string& source) {
    const std::string w = source + ": task";
    LM_CHECK(t.is_object(), w, " must be an object");
    data::TaskInfo info;
    info.name = text(t, "name", w);
    info.vocab_size = integer(t, "vocab_size", 2, kMaxVocab, w);
    // a corpus task (masked-LM pre-training) has no classes but a MASK id
    if (t.contains("mask_id"))
        info.mask_id = static_cast<int32_t>(integer(t, "mask_id", -1, kMaxVocab, w));
    info.num_classes = integer(t, "num_classes", info.mask_id >= 0 ? 0 : 1, kMaxClasses, w);
    info.max_length = integer(t, "max_length", 1, kMaxLength, w);
    const Json& paired = member(t, "paired", w);
    LM_CHECK(paired.is_boolean(), w, ": field 'paired' must be true or false");
    info.paired = paired.get<bool>();
    const Json& names = member(t, "class_names", w);
    LM_CHECK(names.is_array() && names.size() == static_cast<size_t>(info.num_classes), w,
             ": class_names must be a list of num_classes (", info.num_classes, ") names");
    for (const Json& n : names) {
        LM_CHECK(n.is_string(), w, ": class_names must hold strings");
        info.class_names.push_back(n.get<std::string>());
    }
    if (t.contains("image_width")) info.image_width = integer(t, "image_width", 0, 65536, w);
    if (t.contains("image_height")) info.image_height = integer(t, "image_height", 0, 65536, w);
    return info;
}

// The tokenizer and label map must fit the task the model was sized for.
void check_consistent(const Sidecar& s, const std::string& source) {
    const int64_t mask_ids = s.info.mask_id >= 0 ? 1 : 0;  // MASK comes after the tokenizer's ids
    LM_CHECK(s.tokenizer->vocab_size() + mask_ids == s.info.vocab_size, source,
             ": the tokenizer has ", s.tokenizer->vocab_size(), " ids", mask_ids ? " + MASK" : "",
             " but task.vocab_size is ", s.info.vocab_size);
    LM_CHECK(mask_ids == 0 || s.info.mask_id == s.tokenizer->vocab_size(), source,
             ": task.mask_id must be the id after the tokenizer's (", s.tokenizer->vocab_size(),
             "), got ", s.info.mask_id);
    LM_CHECK(s.labels.size() == s.info.num_classes, source, ": label_map has ", s.labels.size(),
             " labels but task.num_classes is ", s.info.num_classes);
    LM_CHECK(s.cfg.task.name == s.info.name, source, ": the config's task.name '", s.cfg.task.name,
             "' differs from task.name '", s.info.name, "'");
}
}  // namespace

Json parse_sidecar_json(const std::string& text, const std::string& source) {
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        LM_CHECK(false, source, " is not valid JSON: ", e.what());
    }
    return nullptr;
}

Sidecar parse_sidecar(const Json& j, const std::string& source) {
    LM_CHECK(j.is_object(), source, " must hold a JSON object");
    LM_CHECK(text(j, "format", source) == "landmark-checkpoint", source,
             ": not a landmark checkpoint (format is not 'landmark-checkpoint')");
    const int64_t version = integer(j, "version", 1, std::numeric_limits<int32_t>::max(), source);
    LM_CHECK(version <= kCheckpointVersion, source, ": checkpoint version ", version,
             " is newer than this build supports (", kCheckpointVersion, ")");
    Sidecar s;
    s.info = task_info(member(j, "task", source), source);
    s.cfg = parse_config(text(j, "config", source), source + ": config");
    // version 1 had no landmark_mode: its Nystrom models use the reference's landmarks
    if (predates_landmark_mode(s.cfg, version))
        s.cfg.model.encoder.attention.landmark_mode = "reference";
    try {
        s.tokenizer = data::tokenizer_from_json(member(j, "tokenizer", source));
        s.labels = data::LabelMap::from_json(member(j, "label_map", source));
    } catch (const data::DataError& e) {
        LM_CHECK(false, source, ": ", e.what());
    }
    check_consistent(s, source);
    resolve_model_config(s.cfg, s.info);
    return s;
}

}  // namespace lm::train
