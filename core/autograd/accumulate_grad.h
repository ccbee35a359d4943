// The sink node of a leaf tensor: adds the incoming gradient into leaf.grad.
#pragma once

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

// Adds `g` into the .grad of `impl` (out of place, so no other tensor aliasing g changes).
void accumulate_into_grad(TensorImpl& impl, const Tensor& g);

}  // namespace lm
