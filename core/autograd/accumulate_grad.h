// The sink node of a leaf tensor: adds the incoming gradient into leaf.grad.
#pragma once

#include <functional>

#include "core/autograd/node.h"

namespace lm {

class AccumulateGrad final : public Node {
  public:
    explicit AccumulateGrad(std::shared_ptr<TensorImpl> leaf) : leaf_(std::move(leaf)) {
        set_num_outputs(1);
    }
    std::vector<Tensor> apply(std::vector<Tensor>& grads) override;
    const char* name() const override { return "AccumulateGrad"; }

  private:
    std::shared_ptr<TensorImpl> leaf_;
};

// Called on the backward thread right after a leaf's AccumulateGrad node ran: the leaf's .grad is
// final for this backward pass (each leaf has one such node, run at most once per pass). Data-
// parallel training uses it to start reducing gradient buckets while backward goes on.
using GradReadyHook = std::function<void(const TensorImpl& leaf)>;

// Installs `hook` on this thread until the scope ends (the previous hook is restored).
class GradReadyHookScope {
  public:
    explicit GradReadyHookScope(GradReadyHook hook);
    ~GradReadyHookScope();
    GradReadyHookScope(const GradReadyHookScope&) = delete;
    GradReadyHookScope& operator=(const GradReadyHookScope&) = delete;

  private:
    GradReadyHook previous_;
};

// Adds `g` into the .grad of `impl` (out of place, so no other tensor aliasing g changes).
void accumulate_into_grad(TensorImpl& impl, const Tensor& g);

}  // namespace lm
