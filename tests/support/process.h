// Running the landmark binary from tests: exit code and output, or a child to kill.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace lm::testing {

struct RunResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// The landmark binary the tests run: $LANDMARK_BIN when set (a build moved to another machine,
// tools/gpu_check.sh), else the one this build made.
inline std::string landmark_binary() {
    const char* env = std::getenv("LANDMARK_BIN");
    return env && *env ? env : LANDMARK_BINARY;
}

// Runs a shell command line and captures its output (stdout and stderr).
inline RunResult run_shell(const std::string& command) {
    const std::string cmd = command + " 2>&1";
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    while (size_t n = fread(buf.data(), 1, buf.size(), p))
        r.output.append(buf.data(), n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

// Runs `landmark args...` through the shell and captures its output.
inline RunResult run_landmark(const std::vector<std::string>& args,
                              const std::string& stdin_text = "") {
    std::string cmd = shell_quote(landmark_binary());
    for (const auto& a : args) {
        cmd += ' ';
        cmd += shell_quote(a);
    }
    if (stdin_text.empty()) return run_shell(cmd);
    // appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&
    std::string piped = "printf '%s' ";
    piped += shell_quote(stdin_text);
    piped += " | ";
    piped += cmd;
    return run_shell(piped);
}

// Starts `landmark args...` in the background (output to `log`); returns its pid.
inline pid_t spawn_landmark(const std::vector<std::string>& args, const std::string& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        FILE* f = freopen(log.c_str(), "w", stdout);
        (void)f;
        dup2(fileno(stdout), fileno(stderr));
        std::vector<char*> argv;
        std::string bin = landmark_binary();
        argv.push_back(bin.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

}  // namespace lm::testing
