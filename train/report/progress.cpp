#include "train/report/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

namespace lm::train {

Progress::Progress(const std::string& mode, int64_t total_steps, int64_t start_step)
    : bar_(mode == "bar" || (mode == "auto" && isatty(STDERR_FILENO))),
      total_(total_steps),
      start_(start_step),
      t0_(std::chrono::steady_clock::now()) {}

std::string Progress::eta(int64_t step) const {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const int64_t done = step - start_;
    if (done <= 0) return "?";
    const int64_t secs = static_cast<int64_t>(elapsed / done * static_cast<double>(total_ - step));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(secs / 60),
                  static_cast<long long>(secs % 60));
    return buf;
}

void Progress::update(const StepStats& s) {
    if (!bar_) return;
    const auto now = std::chrono::steady_clock::now();
    if (s.step != total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    const int width = 24;
    const int filled = total_ > 0 ? static_cast<int>(width * s.step / total_) : 0;
    std::fprintf(stderr, "\r[%s%s] %lld/%lld loss %.4f acc %.3f %.1fk tok/s ETA %s \x1b[K",
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 static_cast<long long>(s.step), static_cast<long long>(total_), s.loss, s.accuracy,
                 s.tokens_per_s / 1000.0, eta(s.step).c_str());
    std::fflush(stderr);
    bar_drawn_ = true;
}

void Progress::clear_bar() {
    if (bar_drawn_) std::fprintf(stderr, "\r\x1b[K");
    bar_drawn_ = false;
}

void Progress::log(const StepStats& s) {
    if (bar_) return;
    spdlog::info("step {}/{} loss {:.4f} acc {:.3f} lr {:.3g} {:.0f} tok/s ETA {}", s.step, total_,
                 s.loss, s.accuracy, s.lr, s.tokens_per_s, eta(s.step));
}

void Progress::message(const std::string& text) {
    clear_bar();
    spdlog::info("{}", text);
}

void Progress::finish() {
    if (bar_drawn_) std::fprintf(stderr, "\n");
    bar_drawn_ = false;
}

}  // namespace lm::train
