// Module: a node of the model tree owning named parameters, buffers and child modules. Names
// join with dots into checkpoint keys, e.g. "encoder.layers.0.attention.query.weight".
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor/tensor.h"

namespace lm::nn {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class Module {
  public:
    Module() = default;
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // Trainable tensors, depth first in registration order, with their dotted names.
    NamedTensors named_parameters() const;
    std::vector<Tensor> parameters() const;
    // Non-trainable state that checkpoints keep (e.g. fixed random features).
    NamedTensors named_buffers() const;
    int64_t num_parameters() const;

    void train(bool on = true);
    void eval() { train(false); }
    bool is_training() const { return training_; }

    // Moves every parameter and buffer (and thus the whole model) to a device.
    void to(Device device);
    // Converts every parameter and buffer to a floating dtype (float64 for gradient checks).
    void to(DType dtype);
    // Clears .grad of every parameter.
    void zero_grad();

  protected:
    // Registers a member tensor; the module keeps a pointer, so the member must outlive it.
    void register_parameter(const std::string& name, Tensor* member);
    // Persistent buffers are saved in checkpoints; others (derived constants) only follow to().
    void register_buffer(const std::string& name, Tensor* member, bool persistent = true);
    template <class M>
    std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> child) {
        children_.emplace_back(name, child);
        return child;
    }
    // Called by train(); modules with mode-dependent state override it.
    virtual void on_mode_change(bool /*training*/) {}

  private:
    void collect(const std::string& prefix, bool buffers, NamedTensors* out) const;
    void for_each_tensor(const std::function<void(Tensor&)>& f);

    std::vector<std::pair<std::string, Tensor*>> params_, buffers_, constants_;
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
    bool training_ = true;
};

}  // namespace lm::nn
