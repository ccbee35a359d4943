#include "core/autograd/node.h"

#include "core/autograd/accumulate_grad.h"
#include "core/autograd/grad_mode.h"
#include "core/tensor/autograd_meta.h"

namespace lm {

void Node::set_inputs(const std::vector<const Tensor*>& inputs) {
    next_.clear();
    input_meta_.clear();
    for (const Tensor* t : inputs) {
        next_.push_back(t && t->defined() ? gradient_edge(*t) : Edge{});
        if (t && t->defined()) {
            input_meta_.push_back({t->shape(), t->dtype(), t->device()});
        } else {
            input_meta_.push_back({});
        }
    }
}

void Node::retain_output(int output_nr, const std::shared_ptr<TensorImpl>& impl) {
    retained_.at(output_nr) = impl;
}

SavedTensor::SavedTensor(const Tensor& t) {
    if (!t.defined()) return;
    t_ = t.detach();
    version_ = t.impl().storage()->version();
}

Tensor SavedTensor::get() const {
    if (!t_.defined()) return t_;
    LM_CHECK(t_.impl().storage()->version() == version_,
             "backward: a tensor saved for the gradient computation was modified in place "
             "after it was saved (version ",
             t_.impl().storage()->version(), ", expected ", version_, ")");
    return t_;
}

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
    if (!grad_enabled()) return false;
    for (const Tensor* t : inputs) {
        if (t && t->defined() && t->requires_grad()) return true;
    }
    return false;
}

bool any_requires_grad(const std::vector<Tensor>& inputs) {
    if (!grad_enabled()) return false;
    for (const Tensor& t : inputs) {
        if (t.defined() && t.requires_grad()) return true;
    }
    return false;
}

Edge gradient_edge(const Tensor& t) {
    AutogradMeta* meta = t.impl().autograd();
    if (!meta || !meta->requires_grad) return {};
    if (meta->grad_fn) return {meta->grad_fn, meta->output_nr};
    std::shared_ptr<Node> acc = meta->grad_accumulator.lock();
    if (!acc) {
        acc = std::make_shared<AccumulateGrad>(t.impl_ptr());
        meta->grad_accumulator = acc;
    }
    return {acc, 0};
}

void connect(const std::shared_ptr<Node>& node,
             const std::vector<const Tensor*>& inputs,
             const std::vector<Tensor*>& outputs) {
    node->set_inputs(inputs);
    node->set_num_outputs(static_cast<int>(outputs.size()));
    for (size_t i = 0; i < outputs.size(); ++i) {
        if (!outputs[i] || !outputs[i]->defined()) continue;
        AutogradMeta& meta = outputs[i]->impl().ensure_autograd();
        meta.requires_grad = true;
        meta.grad_fn = node;
        meta.output_nr = static_cast<int>(i);
    }
}

}  // namespace lm
