// A prediction must not depend on its batch: for every attention type and both model kinds, the
// logits of each example computed alone equal its logits inside a shuffled batch of examples of
// other lengths, with fixed and longest padding and several pad multiples, in eval mode (float64
// to 1e-10, float32 to 1e-5 relative). Batches come from the data pipeline (data::make_batch,
// train::to_device) as in `landmark eval` and `predict`.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "data/batch.h"
#include "layers/attention/registry.h"
#include "models/model.h"
#include "tests/support/tensor_testing.h"
#include "train/batch_tensors.h"

namespace lm {
namespace {

constexpr int64_t kMaxLen = 48;

models::ModelConfig tiny_model(const std::string& kind, const std::string& attention) {
    models::ModelConfig cfg;
    cfg.type = kind;
    cfg.num_classes = 3;
    cfg.encoder.vocab_size = 20;
    cfg.encoder.max_len = kMaxLen;
    cfg.encoder.dim = 16;
    cfg.encoder.ffn_dim = 16;
    cfg.encoder.heads = 2;
    cfg.encoder.head_dim = 4;
    cfg.encoder.layers = 2;
    nn::AttentionConfig& a = cfg.encoder.attention;
    a.type = attention;
    a.landmarks = 8;  // lengths below include examples shorter than that
    a.conv_kernel = 3;
    a.shift_samples = 5;
    a.skyformer_landmarks = 12;  // short examples take all their rows, long ones sample
    a.rpe_features = 4;
    a.performer_features = 8;
    a.linformer_k = 8;
    a.ff_features = 4;
    a.ff_hidden = 4;
    a.schoenbat_features = 8;
    return cfg;
}

// Examples of lengths 1 to 40 (second sequences of other lengths for the dual encoder).
std::vector<data::Example> examples(bool paired) {
    const std::vector<int> lengths = {7, 40, 1, 23, 5, 31, 12};
    std::vector<data::Example> out;
    for (size_t e = 0; e < lengths.size(); ++e) {
        data::Example ex;
        for (int i = 0; i < lengths[e]; ++i)
            ex.tokens.push_back(2 + (i * 7 + e * 3) % 18);
        if (paired) {
            const int L2 = lengths[(e + 3) % lengths.size()];
            for (int i = 0; i < L2; ++i)
                ex.tokens2.push_back(2 + (i * 5 + e) % 18);
        }
        out.push_back(ex);
    }
    return out;
}

// Logits [B, C] of the examples at `indices`, batched and padded as `o` says, and the dataset
// index of each row.
Tensor logits(models::Model& model,
              const std::vector<data::Example>& ex,
              const std::vector<int64_t>& indices,
              const data::BatchOptions& o,
              DType dtype,
              std::vector<int64_t>* rows) {
    const data::HostBatch hb = data::make_batch(ex, indices, o, data::batch_shape(ex, o));
    if (rows) *rows = hb.indices;
    return model.forward(train::to_device(hb, Device::cpu(), dtype).inputs);
}

// Largest relative difference between an example's logits alone and inside shuffled batches.
double batch_vs_alone(const std::string& kind, const nn::AttentionConfig& attention, DType dtype) {
    models::ModelConfig cfg = tiny_model(kind, attention.type);
    cfg.encoder.attention = attention;
    Generator init(5), drop(6);
    auto model = models::make_model(cfg, init, drop);
    model->to(dtype);
    model->eval();
    NoGradGuard no_grad;
    const auto ex = examples(kind == "dual_encoder");
    double worst = 0.0;
    data::BatchOptions one;  // alone: padded to its own length
    one.batch_size = 1;
    one.padding = "longest";
    one.max_length = kMaxLen;
    for (const char* padding : {"fixed", "longest"}) {
        for (int64_t multiple : {1, 8, 16}) {
            data::BatchOptions o = one;
            o.batch_size = static_cast<int64_t>(ex.size());
            o.padding = padding;
            o.pad_multiple = multiple;
            std::vector<int64_t> rows;
            const Tensor batch = logits(*model, ex, {4, 0, 6, 2, 5, 1, 3}, o, dtype, &rows);
            for (int64_t r = 0; r < static_cast<int64_t>(rows.size()); ++r) {
                const Tensor alone = logits(*model, ex, {rows[r]}, one, dtype, nullptr);
                const double err = testing::relative_error(batch.narrow(0, r, 1), alone);
                if (!(err <= worst)) worst = err;  // keeps a NaN, which fails the comparisons
            }
        }
    }
    return worst;
}

class BatchIndependence : public ::testing::TestWithParam<std::string> {};

TEST_P(BatchIndependence, LogitsAloneEqualLogitsInAnyBatch) {
    for (const char* kind : {"classifier", "dual_encoder"}) {
        nn::AttentionConfig attention = tiny_model(kind, GetParam()).encoder.attention;
        EXPECT_LT(batch_vs_alone(kind, attention, DType::Float64), 1e-10) << kind << " float64";
        EXPECT_LT(batch_vs_alone(kind, attention, DType::Float32), 1e-5) << kind << " float32";
    }
}

INSTANTIATE_TEST_SUITE_P(EveryType,
                         BatchIndependence,
                         ::testing::ValuesIn(nn::attention_kernel_names()),
                         [](const auto& info) { return info.param; });

TEST(BatchIndependenceReference, TheReferenceNystromIsCoupledAndSaysSo) {
    // what the property rules out, and what the coupling flag (eval/predict warnings) reports
    nn::AttentionConfig attention = tiny_model("classifier", "nystrom").encoder.attention;
    attention.landmark_mode = "reference";
    EXPECT_GT(batch_vs_alone("classifier", attention, DType::Float64), 1e-6);
    Generator init(1), drop(2);
    models::ModelConfig cfg = tiny_model("classifier", "nystrom");
    cfg.encoder.attention = attention;
    EXPECT_EQ(models::make_model(cfg, init, drop)->encoder().coupling(),
              nn::ExampleCoupling::PaddedLength);
    cfg.encoder.attention.pinv_init = "global";
    EXPECT_EQ(models::make_model(cfg, init, drop)->encoder().coupling(),
              nn::ExampleCoupling::Batch);
    attention.landmark_mode = "per_example";
    attention.pinv_init = "global";
    EXPECT_GT(batch_vs_alone("classifier", attention, DType::Float64), 1e-6);
}

TEST(BatchIndependenceReference, DefaultsOfEveryTypeAreUncoupled) {
    for (const auto& type : nn::attention_kernel_names()) {
        Generator init(1), drop(2);
        auto model = models::make_model(tiny_model("classifier", type), init, drop);
        EXPECT_EQ(model->encoder().coupling(), nn::ExampleCoupling::None) << type;
    }
}

}  // namespace
}  // namespace lm
