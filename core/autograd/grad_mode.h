// Whether operations record the autograd graph (per thread, like torch.no_grad()).
#pragma once

namespace lm {

bool grad_enabled();
void set_grad_enabled(bool enabled);

class NoGradGuard {
  public:
    NoGradGuard() : prev_(grad_enabled()) { set_grad_enabled(false); }
    ~NoGradGuard() { set_grad_enabled(prev_); }
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

  private:
    bool prev_;
};

}  // namespace lm
