// Recording helpers for the differentiable functions: a node whose backward is a closure
// written right under its forward. Closures capture SavedTensor (never a Tensor that carries
// autograd metadata), so an output saved by its own node makes no reference cycle, and in-place
// edits of saved tensors are detected.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "core/autograd/grad_mode.h"
#include "core/autograd/node.h"

namespace lm {

class FunctionNode final : public Node {
  public:
    using Backward = std::function<std::vector<Tensor>(const std::vector<Tensor>& grads)>;
    FunctionNode(const char* name, Backward backward)
        : name_(name), backward_(std::move(backward)) {}

    std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return backward_(grads); }
    const char* name() const override { return name_; }
    void release_saved() override { backward_ = nullptr; }

  private:
    const char* name_;
    Backward backward_;
};

// Whether an op on these inputs must be recorded (grad mode on and some input requires grad).
inline bool should_record(const std::vector<const Tensor*>& inputs) {
    if (!grad_enabled()) return false;
    for (const Tensor* t : inputs) {
        if (t && t->defined() && t->requires_grad()) return true;
    }
    return false;
}

// Records a single-output op: `backward(dy)` returns one gradient per input (undefined = none).
template <class F>
void record(const char* name, const std::vector<const Tensor*>& inputs, Tensor& out, F backward) {
    if (!should_record(inputs)) return;
    auto node = std::make_shared<FunctionNode>(
        name, [bw = std::move(backward)](const std::vector<Tensor>& g) { return bw(g[0]); });
    connect(node, inputs, {&out});
}

// Records an op with several outputs; `backward(grads)` sees one (maybe undefined) per output.
template <class F>
void record_multi(const char* name,
                  const std::vector<const Tensor*>& inputs,
                  const std::vector<Tensor*>& outputs,
                  F backward) {
    if (!should_record(inputs)) return;
    auto node = std::make_shared<FunctionNode>(name, std::move(backward));
    connect(node, inputs, outputs);
}

// Whether input i of an op wants a gradient (decided at record time).
inline bool wants_grad(const Tensor& t) {
    return t.defined() && t.requires_grad();
}

}  // namespace lm
