// Untrusted inputs at the library level: the checkpoint sidecar, the model signature of a
// checkpoint, over-long sequences, inference-time truncation, and corner cases of the .npy,
// safetensors, IDX, tokenizer-JSON and YAML readers. Each bad input fails with the framework's
// error naming what is wrong.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>

#include "core/tensor/factory.h"
#include "core/tensor/npy.h"
#include "data/idx.h"
#include "data/tokenizer.h"
#include "train/config.h"
#include "train/experiment.h"
#include "train/inference.h"
#include "train/io/model_signature.h"
#include "train/io/module_state.h"
#include "train/io/safetensors.h"
#include "train/io/sidecar.h"

namespace lm::train {
namespace {

const char* kYaml = R"(task:
  name: listops
  max_length: 64
model:
  dim: 16
  ffn_dim: 32
  heads: 2
  head_dim: 8
  layers: 1
  attention:
    type: softmax
)";

// The message of the exception f throws (any std::exception), or "" when it throws none.
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

#define EXPECT_ERROR(stmt, phrase)                                                    \
    do {                                                                              \
        const std::string msg_ = error_of([&] { stmt; });                             \
        EXPECT_NE(msg_.find(phrase), std::string::npos) << "error: '" << msg_ << "'"; \
    } while (0)

nlohmann::json valid_sidecar() {
    std::vector<std::string> digits;
    for (int d = 0; d < 10; ++d)
        digits.push_back(std::to_string(d));
    return {{"format", "landmark-checkpoint"},
            {"version", 1},
            {"config", dump_config(parse_config(kYaml, "tiny.yaml"))},
            {"task",
             {{"name", "listops"},
              {"vocab_size", 17},
              {"num_classes", 10},
              {"max_length", 64},
              {"paired", false},
              {"class_names", digits}}},
            {"tokenizer", {{"type", "listops"}, {"version", 1}}},
            {"label_map", {{"labels", digits}}}};
}

TEST(Sidecar, AValidSidecarResolvesTheModel) {
    const Sidecar s = parse_sidecar(valid_sidecar(), "trainer.json");
    EXPECT_EQ(s.cfg.model.encoder.vocab_size, 17);
    EXPECT_EQ(s.cfg.model.encoder.max_len, 64);
    EXPECT_EQ(s.labels.size(), 10);
}

TEST(Sidecar, VersionOneNystromKeepsTheReferenceLandmarksItWasTrainedWith) {
    nlohmann::json j = valid_sidecar();
    Config cfg = parse_config(kYaml, "tiny.yaml");
    cfg.model.encoder.attention.type = "nystrom";
    j["config"] = dump_config(cfg);  // version 2 dumps landmark_mode: per_example
    EXPECT_EQ(parse_sidecar(j, "trainer.json").cfg.model.encoder.attention.landmark_mode,
              "reference");
    j["version"] = 2;
    EXPECT_EQ(parse_sidecar(j, "trainer.json").cfg.model.encoder.attention.landmark_mode,
              "per_example");
}

TEST(Sidecar, EveryBadFieldIsNamed) {
    auto with = [](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = valid_sidecar();
        edit(j);
        return j;
    };
    auto parse = [](const nlohmann::json& j) { parse_sidecar(j, "ck/trainer.json"); };
    EXPECT_ERROR(parse(with([](auto& j) { j["format"] = "other"; })), "not a landmark checkpoint");
    EXPECT_ERROR(parse(with([](auto& j) { j["version"] = 7; })), "checkpoint version 7 is newer");
    EXPECT_ERROR(parse(with([](auto& j) { j.erase("task"); })), "missing field 'task'");
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["vocab_size"] = -3; })),
                 "ck/trainer.json: task: field 'vocab_size' must be in [2, 2147483647]");
    // Non-negative JSON integers are stored unsigned: the lower bound must hold for them too.
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["vocab_size"] = 1; })),
                 "ck/trainer.json: task: field 'vocab_size' must be in [2, 2147483647]");
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["max_length"] = 0; })),
                 "field 'max_length' must be in [1, 16777216]");
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["max_length"] = 1.5; })),
                 "field 'max_length' must be an integer, got number");
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["max_length"] = 1ll << 40; })),
                 "field 'max_length' must be in [1, 16777216]");
    EXPECT_ERROR(parse(with([](auto& j) { j["task"]["class_names"] = {"a"}; })),
                 "class_names must be a list of num_classes (10) names");
    EXPECT_ERROR(parse(with([](auto& j) {
                     j["tokenizer"] = {{"type", "byte"}, {"version", 1}};
                 })),
                 "the tokenizer has 258 ids but task.vocab_size is 17");
    EXPECT_ERROR(parse(with([](auto& j) {
                     j["label_map"]["labels"] = {"x", "y"};
                 })),
                 "label_map has 2 labels but task.num_classes is 10");
    EXPECT_ERROR(parse(with([](auto& j) { j["tokenizer"]["version"] = 1e300; })),
                 "field 'version' must be an integer in range");
    EXPECT_ERROR(parse(with([](auto& j) { j["config"] = "model:\n  dimm: 3\n"; })),
                 "ck/trainer.json: config:2: model.dimm: unknown key (did you mean 'dim'?)");
    EXPECT_ERROR(parse_sidecar_json("{\"format\": ", "ck/trainer.json"),
                 "ck/trainer.json is not valid JSON");
}

// A model of the tiny config with one attention type and a checkpoint of another.
struct Built {
    Config cfg;
    std::unique_ptr<Generator> init = std::make_unique<Generator>(1);
    std::unique_ptr<Generator> drop = std::make_unique<Generator>(2);
    std::shared_ptr<models::Model> model;
};

Built build(const std::vector<std::string>& overrides) {
    Built b;
    b.cfg = parse_config(kYaml, "tiny.yaml", overrides);
    data::TaskInfo info;
    info.name = "listops", info.vocab_size = 17, info.num_classes = 10, info.max_length = 64;
    resolve_model_config(b.cfg, info);
    b.model = models::make_model(b.cfg.model, *b.init, *b.drop);
    return b;
}

CheckpointData checkpoint_of(const Built& b) {
    CheckpointData ck;
    ck.model = module_state(*b.model);
    ck.model_metadata[kModelSignatureKey] = model_signature(b.cfg);
    return ck;
}

TEST(ModelSignature, AnotherAttentionTypeIsNamedEvenWithTheSameTensors) {
    const Built softmax = build({});
    Built nystrom = build({"model.attention.type=nystrom", "model.attention.conv_kernel=0"});
    ASSERT_EQ(module_state(*softmax.model).size(), module_state(*nystrom.model).size());
    EXPECT_ERROR(load_model_weights(*nystrom.model, checkpoint_of(softmax), nystrom.cfg, "m.st"),
                 "m.st was trained with another model architecture:\n  model.attention.type is "
                 "'softmax' in the checkpoint but 'nystrom' in the config");
    // Without a signature (older checkpoints) the tensors alone decide.
    CheckpointData bare = checkpoint_of(softmax);
    bare.model_metadata.clear();
    EXPECT_NO_THROW(load_model_weights(*nystrom.model, bare, nystrom.cfg, "m.st"));
    bare.model_metadata[kModelSignatureKey] = "[1, 2]";
    EXPECT_ERROR(load_model_weights(*nystrom.model, bare, nystrom.cfg, "m.st"),
                 "m.st: metadata 'landmark.model' is not a JSON object of config keys");
}

TEST(ModelSignature, AnotherShapeNamesTheTensorsAndTheKeys) {
    const Built small = build({});
    Built wide = build({"model.dim=24"});
    const std::string msg =
        error_of([&] { load_model_weights(*wide.model, checkpoint_of(small), wide.cfg, "m.st"); });
    EXPECT_NE(msg.find("'encoder.embedding.weight' is float32[17, 16] in the checkpoint but "
                       "float32[17, 24] in the model"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("model.dim is '16' in the checkpoint but '24' in the config"),
              std::string::npos)
        << msg;
}

TEST(LongSequences, ATensorLongerThanMaxLenNamesModelMaxLen) {
    Built b = build({});
    models::Inputs in;
    in.ids = zeros({1, 65}, {DType::Int32});
    in.mask = ones({1, 65});
    EXPECT_ERROR(b.model->forward(in),
                 "sequence of length 65 exceeds the model's maximum length 64 (model.max_len)");
}

TEST(LongSequences, InferenceInputsAreCutByTheTasksTruncationPolicy) {
    LoadedRun run;
    run.tokenizer = data::tokenizer_from_json({{"type", "byte"}, {"version", 1}});
    run.info.max_length = 4;
    auto ids = [](const std::string& s) {
        std::vector<int32_t> out;
        for (unsigned char c : s)
            out.push_back(c + 2);
        return out;
    };
    run.cfg.task.truncation = "head";
    EXPECT_EQ(encode_input(run, "abcdefgh"), ids("abcd"));
    run.cfg.task.truncation = "tail";
    EXPECT_EQ(encode_input(run, "abcdefgh"), ids("efgh"));
    run.cfg.task.truncation = "head+tail";
    EXPECT_EQ(encode_input(run, "abcdefgh"), ids("abgh"));
    EXPECT_EQ(encode_input(run, "abc"), ids("abc"));
}

TEST(Readers, EmptyTensorsWithHugeSizesAreRejected) {
    // (0, 2^62, 2^62) holds no element, but its strides would overflow.
    const std::string dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (0, "
        "4611686018427387904, 4611686018427387904), }";
    std::string npy = std::string("\x93NUMPY\x01\x00", 8);
    npy += static_cast<char>(dict.size()), npy += '\0', npy += dict;
    EXPECT_ERROR(parse_npy(npy, "huge.npy"), "huge.npy: .npy shape");
    const std::string header =
        "{\"t\":{\"dtype\":\"F32\",\"shape\":[0,4611686018427387904,"
        "4611686018427387904],\"data_offsets\":[0,0]}}";
    const uint64_t n = header.size();
    EXPECT_ERROR(parse_safetensors(std::string(reinterpret_cast<const char*>(&n), 8) + header,
                                   "huge.safetensors"),
                 "tensor 't': shape");
    EXPECT_ERROR(parse_safetensors("{}", "short.safetensors"), "too short");
}

TEST(Readers, IdxSizesWhoseProductOverflowsAreRejected) {
    const std::string header("\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                             16);
    EXPECT_ERROR(data::parse_idx_images(header, "x.idx"),
                 "x.idx: byte offset 4: expected image sizes whose product fits 64 bits");
}

TEST(Readers, ConfigKeysMustBeNamesAndIncludesFiles) {
    EXPECT_ERROR(parse_config("? [a, b]\n: 1\n", "c.yaml"), "c.yaml:1: expected a key name");
    EXPECT_ERROR(parse_config("include: /dev/null\n", "c.yaml"),
                 "/dev/null: expected a config file, got a directory or device");
    EXPECT_ERROR(parse_config("task:\n  name: lisops\n", "c.yaml"),
                 "c.yaml:2: task.name: expected a task name, got 'lisops' (did you mean "
                 "'listops'?); known: listops, pathfinder, fashion-mnist, spam, brown-genre, "
                 "brown-match, text");
}

}  // namespace
}  // namespace lm::train
