// `landmark attn` reproduces every fixture in tests/fixtures/attention (out and every
// gradient) to a relative error below 1e-9 in float64.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/tensor/npy.h"
#include "tests/support/process.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(LANDMARK_SOURCE_DIR) / "tests" / "fixtures" / "attention";

std::vector<std::string> fixture_dirs() {
    std::vector<std::string> out;
    if (!fs::exists(kFixtures)) return out;
    for (const auto& e : fs::directory_iterator(kFixtures))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

class AttnCli : public ::testing::TestWithParam<std::string> {};

TEST_P(AttnCli, ReproducesFixture) {
    const fs::path in = kFixtures / GetParam();
    const auto meta = nlohmann::json::parse(std::ifstream(in / "meta.json"));
    const fs::path out = fs::temp_directory_path() / ("landmark_attn_" + GetParam());
    fs::remove_all(out);
    std::vector<std::string> args = {"attn",     "--type",    meta["kind"], "--dtype",   "float64",
                                     "--inputs", in.string(), "--out",      out.string()};
    if (meta["kind"] == "nystrom") {
        args.insert(args.end(), {"--landmarks", std::to_string(meta["m"].get<int>()),
                                 "--conv-kernel", std::to_string(meta["conv"].get<int>()),
                                 // the fixtures are the public reference's Nystrom
                                 "--set", "landmark_mode=reference", "--set", "pinv_init=global"});
    }
    const auto r = lm::testing::run_landmark(args);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> files = {"out.npy", "dq.npy", "dk.npy", "dv.npy"};
    if (fs::exists(in / "dconv_weight.npy")) files.push_back("dconv_weight.npy");
    for (const auto& f : files) {
        const double err =
            lm::testing::relative_error(load_npy((out / f).string()), load_npy((in / f).string()));
        EXPECT_LT(err, 1e-9) << f;
    }
    fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Shared,
                         AttnCli,
                         ::testing::ValuesIn(fixture_dirs()),
                         [](const auto& info) { return info.param; });

TEST(AttnCliErrors, MissingInputsAreUsageErrors) {
    const auto r =
        lm::testing::run_landmark({"attn", "--inputs", "/nonexistent", "--out", "/tmp/x"});
    EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace lm
