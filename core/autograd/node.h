// Autograd graph nodes. A Node is one recorded op: it keeps what its backward needs and edges to
// the nodes that produced its inputs. Backward formulas live next to their forward functions in
// core/ops/*_grad.cpp and core/autograd/views.cpp.
#pragma once

#include <initializer_list>
#include <memory>
#include <vector>

#include "core/tensor/tensor.h"

namespace lm {

class Node;

struct Edge {
    std::shared_ptr<Node> node;  // null: this input needs no gradient
    int input_nr = 0;            // which output of `node` the input was
    bool valid() const { return node != nullptr; }
};

// Shape/dtype/device an input had, so the engine can sum a broadcast gradient back to it.
struct InputMeta {
    Shape shape;
    DType dtype = DType::Float32;
    Device device;
};

class Node {
  public:
    virtual ~Node() = default;

    // grads[i]: gradient w.r.t. output i (undefined when none reached it). Returns one gradient
    // per input edge, in order; an undefined tensor means "no gradient for this input".
    virtual std::vector<Tensor> apply(std::vector<Tensor>& grads) = 0;
    virtual const char* name() const = 0;
    // Frees saved tensors once backward has used them (unless the graph is retained).
    virtual void release_saved() {}

    const std::vector<Edge>& next_edges() const { return next_; }
    const std::vector<InputMeta>& input_meta() const { return input_meta_; }
    int num_outputs() const { return num_outputs_; }
    bool should_compute_grad(int input) const { return next_[input].valid(); }

    // Wiring, used by connect(): edges to the inputs, and the outputs' slots.
    void set_inputs(const std::vector<const Tensor*>& inputs);
    void set_num_outputs(int n) {
        num_outputs_ = n;
        retained_.resize(n);
    }
    void retain_output(int output_nr, const std::shared_ptr<TensorImpl>& impl);
    std::vector<std::weak_ptr<TensorImpl>>& retained() { return retained_; }

    bool released = false;

  private:
    std::vector<Edge> next_;
    std::vector<InputMeta> input_meta_;
    std::vector<std::weak_ptr<TensorImpl>> retained_ = std::vector<std::weak_ptr<TensorImpl>>(1);
    int num_outputs_ = 1;
};

// A tensor saved for backward: stored without its autograd metadata (so an output saved by its
// own node makes no reference cycle), with the storage version to catch in-place edits.
class SavedTensor {
  public:
    SavedTensor() = default;
    SavedTensor(const Tensor& t);  // NOLINT: implicit on purpose, `saved = tensor`
    // The saved tensor (undefined if an undefined tensor was saved); throws when it was
    // modified in place after saving.
    Tensor get() const;
    bool defined() const { return t_.defined(); }

  private:
    Tensor t_;
    uint64_t version_ = 0;
};

// Whether an op on these inputs must record a node (grad mode on, some input requires grad).
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);
bool any_requires_grad(const std::vector<Tensor>& inputs);

// Wires `node` between its inputs and outputs: edges to the inputs' producers (or their
// accumulators for leaves) and grad_fn/output_nr/requires_grad on the outputs.
void connect(const std::shared_ptr<Node>& node,
             const std::vector<const Tensor*>& inputs,
             const std::vector<Tensor*>& outputs);

// The edge through which a gradient for `t` flows (its grad_fn, or a leaf's accumulator).
Edge gradient_edge(const Tensor& t);

}  // namespace lm
