// Data-parallel training under mpirun: 2 ranks with global batch B reach the weights of one
// process with batch B, and a run checkpointed by 2 ranks resumes correctly on 1.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm {
namespace {

namespace fs = std::filesystem;
using lm::testing::CliTest;
using lm::testing::run_landmark;
using lm::testing::shell_quote;

// Tiny ListOps without dropout, trained with SGD (Adam's normalisation would magnify the
// rounding differences of near-zero gradients; one test covers AdamW with a looser bound) (each
// rank draws its own masks). Nystrom with per-matrix pseudo-inverse scaling: the "global" init
// couples the examples of a batch, so shards of it would not reproduce the single-process result.
const char* kConfig = R"(task:
  name: listops
  train_size: 400
  validation_size: 50
  test_size: 50
  min_length: 10
  max_length: 48
  max_depth: 3
  threads: 1
  cache: false
model:
  dim: 32
  ffn_dim: 64
  heads: 2
  head_dim: 16
  layers: 1
  dropout: 0
  attention:
    type: nystrom
    landmarks: 8
    conv_kernel: 5
    pinv_init: per_matrix
train:
  steps: 8
  batch_size: 16
  padding: longest
  pad_multiple: 8
  checkpoint_every: 4
optimizer:
  type: sgd
  lr: 0.5
  momentum: 0.9
eval:
  every: 0
  test: false
run:
  threads: 1
  log_every: 4
  progress: log
)";

bool on_path(const std::string& tool) {
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::vector<std::string> args_with(const std::string& first, const std::vector<std::string>& rest) {
    std::vector<std::string> out = {first};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

// `mpirun -np N landmark args...`, allowed as root and on fewer cores than ranks.
lm::testing::RunResult run_mpi(int ranks, const std::vector<std::string>& args) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on "literal" + std::string.
    std::string cmd = "mpirun --oversubscribe --allow-run-as-root -np ";
    cmd += std::to_string(ranks);
    for (const std::string& a : args_with(LANDMARK_BINARY, args)) {
        cmd += ' ';
        cmd += shell_quote(a);
    }
    cmd += " 2>&1";
    lm::testing::RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p))
        r.output.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

std::map<std::string, std::vector<float>> weights_of(const fs::path& checkpoint_dir) {
    const auto file = train::load_safetensors((checkpoint_dir / "model.safetensors").string());
    std::map<std::string, std::vector<float>> out;
    for (const auto& [name, t] : file.tensors) {
        const float* p = static_cast<const float*>(t.raw_data());
        out[name] = std::vector<float>(p, p + t.nbytes() / sizeof(float));
    }
    return out;
}

std::map<std::string, std::vector<float>> latest_weights(const fs::path& run) {
    std::ifstream in(run / "checkpoints" / "latest");
    std::string name;
    in >> name;
    return weights_of(run / "checkpoints" / name);
}

// Every weight within a float-rounding tolerance (the ranks sum gradients in another order).
void expect_close(const std::map<std::string, std::vector<float>>& a,
                  const std::map<std::string, std::vector<float>>& b,
                  double tolerance = 1e-5) {
    ASSERT_EQ(a.size(), b.size());
    double worst = 0;
    std::string where;
    for (const auto& [name, va] : a) {
        ASSERT_TRUE(b.count(name)) << name;
        const auto& vb = b.at(name);
        ASSERT_EQ(va.size(), vb.size()) << name;
        for (size_t i = 0; i < va.size(); ++i) {
            const double err = std::fabs(va[i] - vb[i]) / std::max(1.0, double(std::fabs(va[i])));
            if (err > worst) worst = err, where = name + "[" + std::to_string(i) + "]";
        }
    }
    EXPECT_LT(worst, tolerance) << "largest relative difference at " << where;
}

class MpiTrain : public CliTest {
  protected:
    void SetUp() override {
        CliTest::SetUp();
        if (!on_path("mpirun"))
            GTEST_SKIP() << "mpirun is not on PATH (apt-get install openmpi-bin)";
        config_ = write("tiny.yaml", kConfig);
    }
    std::string config_;
};

TEST_F(MpiTrain, TwoRanksMatchOneProcess) {
    const auto one = run_landmark({"train", config_, "--run-dir", path("one")});
    ASSERT_EQ(one.exit_code, 0) << one.output;
    const auto two =
        run_mpi(2, {"train", config_, "--run-dir", path("two"), "--set", "run.distributed=mpi"});
    if (two.output.find("this build has no MPI") != std::string::npos) {
        GTEST_SKIP() << "landmark was built without MPI";
    }
    ASSERT_EQ(two.exit_code, 0) << two.output;
    expect_close(latest_weights(path("one")), latest_weights(path("two")));
    // Rank 0 alone prints and writes the summary.
    EXPECT_EQ(two.output.find("tokens/s, peak"), two.output.rfind("tokens/s, peak")) << two.output;
    EXPECT_TRUE(fs::exists(path("two") + "/summary.json"));
}

TEST_F(MpiTrain, TwoRanksMatchOneProcessWithAdamW) {
    const std::vector<std::string> adamw = {"--set", "optimizer.type=adamw", "--set",
                                            "optimizer.lr=1e-3"};
    std::vector<std::string> args = {"train", config_, "--run-dir", path("one")};
    args.insert(args.end(), adamw.begin(), adamw.end());
    const auto one = run_landmark(args);
    ASSERT_EQ(one.exit_code, 0) << one.output;
    args[3] = path("two");
    args.insert(args.end(), {"--set", "run.distributed=mpi"});
    const auto two = run_mpi(2, args);
    if (two.output.find("this build has no MPI") != std::string::npos) {
        GTEST_SKIP() << "landmark was built without MPI";
    }
    ASSERT_EQ(two.exit_code, 0) << two.output;
    // Measured 4.9e-6 (on position embeddings, whose gradients are nearly zero).
    expect_close(latest_weights(path("one")), latest_weights(path("two")), 2e-5);
}

TEST_F(MpiTrain, ResumesOnAnotherRankCount) {
    const auto one = run_landmark({"train", config_, "--run-dir", path("one")});
    ASSERT_EQ(one.exit_code, 0) << one.output;
    const auto two =
        run_mpi(2, {"train", config_, "--run-dir", path("two"), "--set", "run.distributed=mpi"});
    if (two.output.find("this build has no MPI") != std::string::npos) {
        GTEST_SKIP() << "landmark was built without MPI";
    }
    ASSERT_EQ(two.exit_code, 0) << two.output;
    // Roll the 2-rank run back to its step-4 checkpoint and finish it in one process.
    const fs::path ck = fs::path(path("two")) / "checkpoints";
    fs::remove_all(ck / "step-00000008");
    std::ofstream(ck / "latest") << "step-00000004\n";
    const auto resumed = run_landmark({"train", config_, "--run-dir", path("two"), "--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(lm::testing::latest_step(path("two")), 8);
    expect_close(latest_weights(path("one")), latest_weights(path("two")));
}

TEST_F(MpiTrain, BatchMustSplitBetweenRanks) {
    const auto r = run_mpi(2, {"train", config_, "--run-dir", path("odd"), "--set",
                               "run.distributed=mpi", "--set", "train.batch_size=15"});
    if (r.output.find("this build has no MPI") != std::string::npos) {
        GTEST_SKIP() << "landmark was built without MPI";
    }
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("train.batch_size: 15 does not split between 2 ranks"),
              std::string::npos)
        << r.output;
}

}  // namespace
}  // namespace lm
