#include "layers/module.h"

#include <functional>

#include "core/autograd/grad_mode.h"

namespace lm::nn {

void Module::register_parameter(const std::string& name, Tensor* member) {
    LM_CHECK(member->defined(), "register_parameter: '", name, "' is undefined");
    member->requires_grad_(true);
    params_.emplace_back(name, member);
}

void Module::register_buffer(const std::string& name, Tensor* member, bool persistent) {
    (persistent ? buffers_ : constants_).emplace_back(name, member);
}

void Module::collect(const std::string& prefix, bool buffers, NamedTensors* out) const {
    for (const auto& [name, t] : buffers ? buffers_ : params_)
        out->emplace_back(prefix + name, *t);
    for (const auto& [name, child] : children_)
        child->collect(prefix + name + ".", buffers, out);
}

NamedTensors Module::named_parameters() const {
    NamedTensors out;
    collect("", false, &out);
    return out;
}

NamedTensors Module::named_buffers() const {
    NamedTensors out;
    collect("", true, &out);
    return out;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_parameters())
        out.push_back(t);
    return out;
}

int64_t Module::num_parameters() const {
    int64_t n = 0;
    for (const Tensor& t : parameters())
        n += t.numel();
    return n;
}

void Module::train(bool on) {
    training_ = on;
    on_mode_change(on);
    for (auto& [name, child] : children_)
        child->train(on);
}

void Module::for_each_tensor(const std::function<void(Tensor&)>& f) {
    for (auto& [name, t] : params_)
        f(*t);
    for (auto& [name, t] : buffers_)
        f(*t);
    for (auto& [name, t] : constants_)
        f(*t);
    for (auto& [name, child] : children_)
        child->for_each_tensor(f);
}

void Module::to(Device device) {
    NoGradGuard no_grad;
    for_each_tensor([&](Tensor& t) {
        if (t.device() == device) return;
        const bool trainable = t.requires_grad();
        t = t.detach().to(device);
        if (trainable) t.requires_grad_(true);
    });
}

void Module::to(DType dtype) {
    NoGradGuard no_grad;
    for_each_tensor([&](Tensor& t) {
        if (t.dtype() == dtype || !is_floating(t.dtype())) return;
        const bool trainable = t.requires_grad();
        t = t.detach().to(dtype);
        if (trainable) t.requires_grad_(true);
    });
}

void Module::zero_grad() {
    for (auto& [name, t] : params_)
        t->set_grad(Tensor());
    for (auto& [name, child] : children_)
        child->zero_grad();
}

}  // namespace lm::nn
