// The backward engine: topological order by iterative DFS, one reverse sweep, gradients summed
// per node input, broadcast gradients reduced to their input's shape in one place.
#include "core/autograd/engine.h"

#include <unordered_map>
#include <unordered_set>

#include "core/autograd/accumulate_grad.h"
#include "core/autograd/grad_mode.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/tensor/autograd_meta.h"

namespace lm {

namespace {

// Nodes reachable from the roots, each before every node it depends on (consumers first).
std::vector<Node*> topological_order(const std::vector<Node*>& roots) {
    std::vector<Node*> post;
    std::unordered_set<Node*> seen;
    std::vector<std::pair<Node*, size_t>> stack;
    for (Node* root : roots) {
        if (!seen.insert(root).second) continue;
        stack.push_back({root, 0});
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            const auto& edges = node->next_edges();
            if (next < edges.size()) {
                Node* child = edges[next++].node.get();
                if (child && seen.insert(child).second) stack.push_back({child, 0});
            } else {
                post.push_back(node);
                stack.pop_back();
            }
        }
    }
    return {post.rbegin(), post.rend()};
}

// Reduces a broadcast gradient to the input's shape and checks what cannot be reduced.
Tensor fit_to_input(const Tensor& g, const InputMeta& meta, const Node& node) {
    Tensor out = g;
    if (out.shape() != meta.shape) out = ops::sum_to(out, meta.shape);
    LM_ASSERT(out.shape() == meta.shape, node.name(), " returned a gradient of shape ",
              g.shape().str(), " for an input of shape ", meta.shape.str());
    return out;
}

void accumulate(std::vector<Tensor>& slot_grads, int slot, const Tensor& g) {
    Tensor& cur = slot_grads[slot];
    cur = cur.defined() ? ops::binary(ops::BinaryOp::Add, cur, g) : g;
}

}  // namespace

void run_backward(const std::vector<Tensor>& roots,
                  const std::vector<Tensor>& root_grads,
                  bool retain_graph) {
    NoGradGuard no_grad;  // backward formulas must not record a graph
    std::unordered_map<Node*, std::vector<Tensor>> buffers;
    std::vector<std::shared_ptr<Node>> keep_alive;
    std::vector<Node*> root_nodes;
    for (size_t i = 0; i < roots.size(); ++i) {
        const Edge edge = gradient_edge(roots[i]);
        LM_CHECK(edge.valid(), "backward: tensor ", i, " does not require grad and has no grad_fn");
        keep_alive.push_back(edge.node);
        root_nodes.push_back(edge.node.get());
        auto& buf = buffers[edge.node.get()];
        buf.resize(edge.node->num_outputs());
        accumulate(buf, edge.input_nr, root_grads[i]);
    }
    for (Node* node : topological_order(root_nodes)) {
        auto it = buffers.find(node);
        if (it == buffers.end()) continue;  // no gradient reached this node
        std::vector<Tensor> grads = std::move(it->second);
        buffers.erase(it);
        LM_CHECK(!node->released, "backward: trying to back-propagate through ", node->name(),
                 " a second time; its saved tensors were freed (pass retain_graph=true)");
        auto& retained = node->retained();
        for (size_t k = 0; k < retained.size() && k < grads.size(); ++k) {
            if (auto impl = retained[k].lock(); impl && grads[k].defined()) {
                accumulate_into_grad(*impl, grads[k]);
            }
        }
        std::vector<Tensor> input_grads = node->apply(grads);
        if (!retain_graph) {
            node->release_saved();
            node->released = dynamic_cast<AccumulateGrad*>(node) == nullptr;
        }
        const auto& edges = node->next_edges();
        for (size_t k = 0; k < edges.size() && k < input_grads.size(); ++k) {
            if (!edges[k].valid() || !input_grads[k].defined()) continue;
            auto& buf = buffers[edges[k].node.get()];
            buf.resize(edges[k].node->num_outputs());
            accumulate(buf, edges[k].input_nr,
                       fit_to_input(input_grads[k], node->input_meta()[k], *node));
        }
    }
}

void Tensor::backward(const Tensor& grad, bool retain_graph) const {
    Tensor g = grad;
    if (!g.defined()) {
        LM_CHECK(numel() == 1,
                 "backward: a gradient can be created implicitly only for a tensor "
                 "with one element; this one has shape ",
                 shape().str());
        g = empty(shape(), dtype(), device());
        ops::fill(g, 1.0);
    }
    LM_CHECK(g.shape() == shape(), "backward: the gradient has shape ", g.shape().str(),
             " but the tensor has shape ", shape().str());
    run_backward({*this}, {g.detach()}, retain_graph);
}

bool Tensor::requires_grad() const {
    const AutogradMeta* m = impl().autograd();
    return m && m->requires_grad;
}

Tensor& Tensor::requires_grad_(bool value) {
    LM_CHECK(is_leaf(), "requires_grad_: only leaf tensors can change requires_grad; use detach()");
    LM_CHECK(!value || is_floating(dtype()),
             "requires_grad_: only floating tensors can require "
             "gradients, this one is ",
             dtype_name(dtype()));
    impl().ensure_autograd().requires_grad = value;
    return *this;
}

bool Tensor::is_leaf() const {
    const AutogradMeta* m = impl().autograd();
    return !m || !m->grad_fn;
}

Tensor Tensor::grad() const {
    const AutogradMeta* m = impl().autograd();
    return m ? m->grad : Tensor();
}

void Tensor::set_grad(const Tensor& grad) const {
    LM_CHECK(!grad.defined() || grad.shape() == shape(), "set_grad: gradient of shape ",
             grad.shape().str(), " for a tensor of shape ", shape().str());
    impl().ensure_autograd().grad = grad;
}

void Tensor::retain_grad() const {
    LM_CHECK(requires_grad(), "retain_grad: the tensor does not require grad");
    if (is_leaf()) return;  // leaves keep their grad anyway
    AutogradMeta& m = impl().ensure_autograd();
    m.retains_grad = true;
    m.grad_fn->retain_output(m.output_nr, impl_ptr());
}

const std::shared_ptr<Node>& Tensor::grad_fn() const {
    static const std::shared_ptr<Node> none;
    const AutogradMeta* m = impl().autograd();
    return m ? m->grad_fn : none;
}

Tensor Tensor::detach() const {
    return Tensor(
        std::make_shared<TensorImpl>(impl().storage(), shape(), strides(), offset(), dtype()));
}

}  // namespace lm
