// Signals a training run answers while InterruptScope is alive:
//   SIGINT, SIGTERM  checkpoint and stop; the process then exits 128 + the signal (130, 143), as
//                    a shell reports a signalled job; a second one kills as usual.
//   SIGUSR1          checkpoint and carry on (cluster preemption notices).
#pragma once

namespace lm::train {

class InterruptScope {
  public:
    InterruptScope();   // installs the handlers and clears earlier requests
    ~InterruptScope();  // restores the previous handlers
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

  private:
    void (*prev_int_)(int);
    void (*prev_term_)(int);
    void (*prev_usr1_)(int);
};

// The signal that asked the run to stop, or 0.
int interrupt_signal();
// Whether SIGUSR1 asked for a checkpoint since the last call (the request is consumed).
bool take_checkpoint_request();

}  // namespace lm::train
