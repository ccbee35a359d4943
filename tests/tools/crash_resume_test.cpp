// Crash safety through the CLI: a training run killed with SIGKILL at random moments (seeded),
// resumed each time, ends with weights bit-identical to an unbroken run; a kill injected at
// each stage of a checkpoint write (LANDMARK_FAULT_INJECT) never loses the previous good
// checkpoint.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"
#include "train/io/checkpoint.h"

namespace lm::testing {
namespace {

class CrashResume : public CliTest {
  protected:
    void SetUp() override {
        CliTest::SetUp();
        config_ = write("tiny.yaml", kTinyListOps);
    }
    RunResult train(const fs::path& run, bool resume) const {
        std::vector<std::string> args = {"train", config_, "--run-dir", run.string()};
        if (resume) args.push_back("--resume");
        return run_landmark(args);
    }
    // The reference: one unbroken run.
    std::map<std::string, std::string> unbroken() const {
        const RunResult r = train(dir_ / "unbroken", false);
        EXPECT_EQ(r.exit_code, 0) << r.output;
        auto w = final_weights(dir_ / "unbroken");
        EXPECT_FALSE(w.empty());
        return w;
    }

    std::string config_;
};

// After a kill: the checkpoint `latest` resolves to loads completely, and progress never goes
// backwards. Returns its step (-1 when the run had not checkpointed yet).
int64_t check_recoverable(const fs::path& run, int64_t previous_step) {
    const auto dir = train::CheckpointStore(run.string()).latest();
    if (!dir) {
        EXPECT_LT(previous_step, 0) << "a checkpoint was lost";
        return -1;
    }
    const train::CheckpointData ck = train::CheckpointStore::load(*dir);
    const int64_t step = ck.trainer.at("step").get<int64_t>();
    EXPECT_GE(step, previous_step) << "the latest checkpoint went back from step " << previous_step;
    EXPECT_FALSE(ck.model.empty());
    return step;
}

TEST_F(CrashResume, RandomSigkillsThenResumeMatchUnbrokenRunBitForBit) {
    const auto reference = unbroken();
    const fs::path run = dir_ / "killed";
    std::mt19937 rng(20240611);  // seeded: the same kill schedule every time
    int64_t step = -1;
    int kills = 0;
    for (int trial = 0; trial < 5; ++trial) {
        // Kill once the run has reached a random step (at most 45 of 60), after a random extra
        // delay, so that some kills land inside checkpoint writes (every 5 steps) and some
        // between them.
        const int64_t target = std::max<int64_t>(step + 1, 5 + 9 * trial + rng() % 5);
        const auto delay = std::chrono::microseconds(rng() % 10000);
        std::vector<std::string> args = {"train", config_, "--run-dir", run.string()};
        if (step >= 0) args.push_back("--resume");
        const pid_t pid = spawn_landmark(args, path("trial" + std::to_string(trial) + ".log"));
        bool exited = false;
        while (!exited && latest_step(run) < target) {
            exited = waitpid(pid, nullptr, WNOHANG) == pid;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (!exited) {
            std::this_thread::sleep_for(delay);
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            ++kills;
        }
        step = check_recoverable(run, step);
        ASSERT_FALSE(exited) << "trial " << trial << ": the run ended before it was killed";
    }
    EXPECT_EQ(kills, 5);
    const RunResult last = train(run, true);
    ASSERT_EQ(last.exit_code, 0) << last.output;
    EXPECT_EQ(differing(reference, final_weights(run)), std::vector<std::string>{})
        << "weights differ after " << kills << " kills and resumes";
}

// Each stage of a step checkpoint write, killed at the second save (step 10).
TEST_F(CrashResume, KillDuringACheckpointWriteKeepsThePreviousOne) {
    const auto reference = unbroken();
    const std::vector<std::pair<std::string, int64_t>> points = {
        {"checkpoint_after_model", 5},    {"checkpoint_after_optimizer", 5},
        {"checkpoint_before_install", 5}, {"checkpoint_before_latest", 5},
        {"checkpoint_before_prune", 10},
    };
    for (const auto& [point, expected_latest] : points) {
        SCOPED_TRACE(point);
        const fs::path run = dir_ / point;
        ::setenv("LANDMARK_FAULT_INJECT", (point + "@2").c_str(), 1);
        const RunResult killed = train(run, false);
        ::unsetenv("LANDMARK_FAULT_INJECT");
        EXPECT_EQ(killed.exit_code, 128 + SIGKILL) << killed.output;
        EXPECT_NE(killed.output.find("killing the process at " + point), std::string::npos)
            << killed.output;
        EXPECT_EQ(check_recoverable(run, expected_latest), expected_latest);
        const RunResult info = run_landmark({"info", run.string()});
        EXPECT_EQ(info.exit_code, 0) << info.output;
        const RunResult resumed = train(run, true);
        ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
        EXPECT_EQ(differing(reference, final_weights(run)), std::vector<std::string>{});
    }
}

// A kill while best/ is being replaced: best.old/ stands in until the next save.
TEST_F(CrashResume, KillWhileReplacingBestKeepsAnEvaluableBest) {
    const fs::path run = dir_ / "best";
    // Validation every 5 steps: the first improvement after step 5 replaces best/ and is killed
    // between moving the old best aside and moving the new one in.
    ::setenv("LANDMARK_FAULT_INJECT", "best_after_move_old", 1);
    const RunResult killed =
        run_landmark({"train", config_, "--run-dir", run.string(), "--set", "eval.every=5"});
    ::unsetenv("LANDMARK_FAULT_INJECT");
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.output;
    EXPECT_FALSE(fs::exists(run / "checkpoints" / "best"));
    EXPECT_TRUE(fs::exists(run / "checkpoints" / "best.old"));
    const RunResult eval = run_landmark({"eval", run.string(), "--split", "validation"});
    EXPECT_EQ(eval.exit_code, 0) << eval.output;
    EXPECT_NE(eval.output.find("best.old"), std::string::npos) << eval.output;
}

}  // namespace
}  // namespace lm::testing
