#include "train/interrupts.h"

#include <atomic>
#include <csignal>

namespace lm::train {

namespace {
std::atomic<int> g_interrupted{0};
std::atomic<bool> g_checkpoint_requested{false};
}  // namespace

InterruptScope::InterruptScope() {
    g_interrupted = 0;
    g_checkpoint_requested = false;
    prev_usr1_ = std::signal(SIGUSR1, [](int) { g_checkpoint_requested = true; });
    prev_int_ = std::signal(SIGINT, [](int s) {
        g_interrupted = s;
        std::signal(SIGINT, SIG_DFL);
    });
    prev_term_ = std::signal(SIGTERM, [](int s) {
        g_interrupted = s;
        std::signal(SIGTERM, SIG_DFL);
    });
}

InterruptScope::~InterruptScope() {
    std::signal(SIGINT, prev_int_);
    std::signal(SIGTERM, prev_term_);
    std::signal(SIGUSR1, prev_usr1_);
}

int interrupt_signal() {
    return g_interrupted.load();
}

bool take_checkpoint_request() {
    return g_checkpoint_requested.exchange(false);
}

}  // namespace lm::train
