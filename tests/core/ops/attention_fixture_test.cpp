// The fused attention cores against the PyTorch fixtures in tests/fixtures/attention
// (float64, relative error < 1e-9 for the output and every gradient).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "core/tensor/npy.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(LANDMARK_SOURCE_DIR) / "tests" / "fixtures" / "attention";

struct Meta {
    std::string kind;
    int64_t m = 0, conv = 0;
};

// The few integer/string fields of meta.json this test needs.
Meta read_meta(const fs::path& dir) {
    std::ifstream in(dir / "meta.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto field = [&](const std::string& key) -> std::string {
        const size_t at = text.find("\"" + key + "\"");
        if (at == std::string::npos) return "";
        size_t p = text.find(':', at) + 1;
        while (text[p] == ' ' || text[p] == '"')
            ++p;
        size_t e = p;
        while (e < text.size() && text[e] != ',' && text[e] != '"' && text[e] != '\n')
            ++e;
        return text.substr(p, e - p);
    };
    Meta m;
    m.kind = field("kind");
    if (!field("m").empty()) m.m = std::stoll(field("m"));
    if (!field("conv").empty()) m.conv = std::stoll(field("conv"));
    return m;
}

class AttentionFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(AttentionFixture, MatchesPyTorch) {
    const fs::path dir = kFixtures / GetParam();
    const Meta meta = read_meta(dir);
    auto load = [&](const char* name) { return load_npy((dir / name).string()); };
    Tensor q = load("q.npy").requires_grad_(), k = load("k.npy").requires_grad_(),
           v = load("v.npy").requires_grad_();
    const Tensor mask = load("mask.npy"), grad_out = load("grad_out.npy");
    Tensor w;
    Tensor out;
    if (meta.kind == "softmax") {
        out = softmax_attention(q, k, v, mask);
    } else {
        out = nystrom_attention(q, k, v, mask,
                                {meta.m, 6, ops::PinvInit::Global, ops::LandmarkMode::Reference});
        if (meta.conv > 0) {
            w = load("conv_weight.npy").requires_grad_();
            const Tensor mask4 = mask.view({mask.size(0), 1, mask.size(1), 1});
            out = out + depthwise_conv_seq(v * mask4, w);
        }
    }
    sum(out * grad_out).backward();
    EXPECT_LT(testing::relative_error(out, load("out.npy")), 1e-9);
    EXPECT_LT(testing::relative_error(q.grad(), load("dq.npy")), 1e-9);
    EXPECT_LT(testing::relative_error(k.grad(), load("dk.npy")), 1e-9);
    EXPECT_LT(testing::relative_error(v.grad(), load("dv.npy")), 1e-9);
    if (w.defined()) {
        EXPECT_LT(testing::relative_error(w.grad(), load("dconv_weight.npy")), 1e-9);
    }
}

std::vector<std::string> fixture_dirs() {
    std::vector<std::string> out;
    if (!fs::exists(kFixtures)) return out;
    for (const auto& e : fs::directory_iterator(kFixtures))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The fixtures ship with the repository; an empty list would silently test nothing.
TEST(AttentionFixtures, AllFourArePresent) {
    EXPECT_EQ(fixture_dirs().size(), 4u) << kFixtures;
}

INSTANTIATE_TEST_SUITE_P(Shared,
                         AttentionFixture,
                         ::testing::ValuesIn(fixture_dirs()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lm
