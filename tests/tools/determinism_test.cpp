// Determinism on the CPU backend: the same config and seed give bit-identical weights with one
// and with two threads.
#include <gtest/gtest.h>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm::testing {
namespace {

class Determinism : public CliTest {};

TEST_F(Determinism, OneAndTwoThreadsGiveBitIdenticalWeights) {
    const std::string config = write("tiny.yaml", kTinyListOps);
    std::map<std::string, std::string> weights[2];
    for (int threads : {1, 2}) {
        const fs::path run = dir_ / ("threads" + std::to_string(threads));
        const RunResult r =
            run_landmark({"train", config, "--run-dir", run.string(), "--set",
                          "run.threads=" + std::to_string(threads), "--set", "model.dropout=0.1"});
        ASSERT_EQ(r.exit_code, 0) << r.output;
        weights[threads - 1] = final_weights(run);
    }
    ASSERT_FALSE(weights[0].empty());
    EXPECT_EQ(differing(weights[0], weights[1]), std::vector<std::string>{});
}

}  // namespace
}  // namespace lm::testing
