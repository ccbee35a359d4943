// Runs that behave like jobs: SIGTERM and SIGINT checkpoint and end with 143 and 130, SIGUSR1
// checkpoints and carries on, and a run directory takes one training process at a time (a
// killed holder does not block --resume).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/support/process.h"
#include "tests/tools/cli_fixture.h"

namespace lm {
namespace {

using testing::latest_step;
using testing::run_landmark;
namespace fs = std::filesystem;

class RunControl : public testing::CliTest {
  protected:
    // The tiny ListOps config made long enough to be signalled mid-run.
    std::string long_config() const { return write("long.yaml", testing::kTinyListOps); }
    std::vector<std::string> train_args(const std::string& run) const {
        return {"train", long_config(),        "--run-dir", path(run),
                "--set", "train.steps=100000", "--set",     "schedule.warmup_steps=10",
                "--set", "run.threads=1"};
    }
    // Starts training into `run` and waits until it has written a checkpoint at step >= 5.
    pid_t start(const std::string& run) const {
        const pid_t pid = testing::spawn_landmark(train_args(run), path(run + ".log"));
        while (latest_step(dir_ / run) < 5) {
            int status = 0;
            EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0) << "the run ended early";
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return pid;
    }
    std::string log(const std::string& run) const {
        std::ifstream in(path(run + ".log"));
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
};

int exit_code_of(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(RunControl, SigtermAndSigintCheckpointAndExitAsSignalledJobs) {
    for (const auto& [sig, code] : {std::pair{SIGTERM, 143}, std::pair{SIGINT, 130}}) {
        const std::string run = "run" + std::to_string(sig);
        const pid_t pid = start(run);
        kill(pid, sig);
        EXPECT_EQ(exit_code_of(pid), code) << log(run);
        EXPECT_NE(log(run).find("interrupted at step"), std::string::npos) << log(run);
        EXPECT_GE(latest_step(dir_ / run), 5) << "the stop left no checkpoint";
    }
}

TEST_F(RunControl, VersionNamesTheBuildAndCheckpointsRecordIt) {
    const auto v = run_landmark({"--version"});
    EXPECT_EQ(v.exit_code, 0) << v.output;
    for (const char* field : {"landmark 0.", "commit", "build type", "BLAS", "CUDA", "CPU path"})
        EXPECT_NE(v.output.find(field), std::string::npos) << field << "\n" << v.output;
    const pid_t pid = start("versioned");
    kill(pid, SIGTERM);
    exit_code_of(pid);
    char name[32];
    std::snprintf(name, sizeof name, "step-%08lld",
                  static_cast<long long>(latest_step(dir_ / "versioned")));
    std::ifstream in(dir_ / "versioned" / "checkpoints" / name / "trainer.json");
    const auto sidecar = nlohmann::json::parse(in);
    const std::string first_line = v.output.substr(0, v.output.find('\n'));  // "landmark X"
    EXPECT_EQ(sidecar.at("landmark_version").get<std::string>().rfind(first_line.substr(9), 0), 0u)
        << sidecar.at("landmark_version");
}

TEST_F(RunControl, QuietAndSpdlogLevelQuietenTheConsoleButNotTrainLog) {
    for (const auto& [prefix, args] :
         {std::pair{std::string(), std::vector<std::string>{"--quiet"}},
          std::pair{std::string("SPDLOG_LEVEL=warn "), std::vector<std::string>{}}}) {
        const std::string run = prefix.empty() ? "quiet" : "env";
        std::string cmd = prefix + testing::shell_quote(testing::landmark_binary());
        for (const auto& a : args)
            cmd += " " + a;
        cmd += " train " + testing::shell_quote(long_config()) + " --run-dir " +
               testing::shell_quote(path(run)) + " --set train.steps=20";
        const auto r = testing::run_shell(cmd + " 2>&1");
        EXPECT_EQ(r.exit_code, 0) << r.output;
        EXPECT_EQ(r.output.find("[info]"), std::string::npos) << r.output;
        std::ifstream in(dir_ / run / "train.log");
        std::stringstream log;
        log << in.rdbuf();
        EXPECT_NE(log.str().find("step 20/20"), std::string::npos) << log.str();
    }
}

TEST_F(RunControl, Sigusr1CheckpointsAndCarriesOn) {
    const pid_t pid = testing::spawn_landmark(
        {"train", long_config(), "--run-dir", path("usr1"), "--set", "train.steps=100000", "--set",
         "schedule.warmup_steps=10", "--set", "run.threads=1", "--set", "train.checkpoint_every=0"},
        path("usr1.log"));
    while (log("usr1").find("step 20/") == std::string::npos) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << log("usr1");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGUSR1);
    while (latest_step(dir_ / "usr1") < 0) {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "SIGUSR1 ended the run:\n" << log("usr1");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const int64_t at = latest_step(dir_ / "usr1");
    // still training after the checkpoint
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0) << log("usr1");
    kill(pid, SIGTERM);
    EXPECT_EQ(exit_code_of(pid), 143);
    EXPECT_NE(log("usr1").find("SIGUSR1: checkpoint at step " + std::to_string(at)),
              std::string::npos)
        << log("usr1");
    EXPECT_GT(latest_step(dir_ / "usr1"), at);
}

TEST_F(RunControl, ARunDirectoryTakesOneProcessAndAKilledOneDoesNotBlock) {
    const pid_t pid = start("locked");
    const auto second = run_landmark(train_args("locked"));
    EXPECT_EQ(second.exit_code, 1) << second.output;
    EXPECT_NE(second.output.find("run directory " + path("locked") +
                                 " is in use by another landmark process (pid " +
                                 std::to_string(pid) + ")"),
              std::string::npos)
        << second.output;
    kill(pid, SIGKILL);
    exit_code_of(pid);
    // the lock died with its holder: --resume takes the directory
    std::vector<std::string> resume = train_args("locked");
    resume.push_back("--resume");
    const pid_t again = testing::spawn_landmark(resume, path("again.log"));
    while (log("again").find("resumed") == std::string::npos) {
        int status = 0;
        ASSERT_EQ(waitpid(again, &status, WNOHANG), 0) << log("again");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(again, SIGTERM);
    EXPECT_EQ(exit_code_of(again), 143) << log("again");
}

}  // namespace
}  // namespace lm
