// Training progress: a one-line bar on a terminal (step, loss, accuracy, tokens/s, ETA), plain
// log lines when the output is not a terminal.
#pragma once

#include <chrono>
#include <string>

namespace lm::train {

struct StepStats {
    int64_t step = 0;
    double loss = 0, accuracy = 0, tokens_per_s = 0, lr = 0;
};

class Progress {
  public:
    // mode: "auto" (bar when stderr is a terminal), "bar" or "log".
    Progress(const std::string& mode, int64_t total_steps, int64_t start_step);
    void update(const StepStats& s);        // every step
    void log(const StepStats& s);           // every log_every steps
    void message(const std::string& text);  // a line above the bar
    void finish();

  private:
    void clear_bar();
    std::string eta(int64_t step) const;

    bool bar_;
    bool bar_drawn_ = false;
    int64_t total_, start_;
    std::chrono::steady_clock::time_point t0_;
    std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace lm::train
