#include "train/optim/optimizer.h"

#include <cmath>
#include <map>
#include <set>

#include "core/tensor/factory.h"
#include "train/optim/param_groups.h"

namespace lm::train {

namespace {
void check_hyperparameters(const OptimizerConfig& c) {
    const auto in_unit = [](double b) { return b >= 0 && b < 1; };
    LM_CHECK(std::isfinite(c.lr) && c.lr >= 0, "optimizer: lr must be >= 0, got ", c.lr);
    LM_CHECK(in_unit(c.beta1) && in_unit(c.beta2), "optimizer: betas must be in [0, 1), got (",
             c.beta1, ", ", c.beta2, ")");
    LM_CHECK(c.eps >= 0, "optimizer: eps must be >= 0, got ", c.eps);
    LM_CHECK(c.weight_decay >= 0, "optimizer: weight_decay must be >= 0, got ", c.weight_decay);
    LM_CHECK(c.momentum >= 0, "optimizer: momentum must be >= 0, got ", c.momentum);
}

Tensor int64_scalar(int64_t v) {
    Tensor t = empty({}, DType::Int64);
    *t.data<int64_t>() = v;
    return t;
}

// The non-negative integer held by a one-element tensor `name` of a loaded state.
int64_t read_step(const Tensor& t, const std::string& name) {
    LM_CHECK(t.numel() == 1 && t.dim() == 0, "optimizer state: '", name,
             "' must be a scalar, got shape ", t.shape().str());
    const double v = t.item();
    LM_CHECK(v >= 0 && v == std::floor(v) && v < 9.2e18, "optimizer state: '", name,
             "' must be a non-negative integer, got ", v);
    return static_cast<int64_t>(v);
}
}  // namespace

Optimizer::Optimizer(const OptimizerConfig& cfg,
                     const nn::NamedTensors& params,
                     std::vector<std::string> slot_names)
    : cfg_(cfg), slot_names_(std::move(slot_names)) {
    check_hyperparameters(cfg_);
    std::set<std::string> seen;
    for (const auto& [name, p] : params) {
        LM_CHECK(seen.insert(name).second, "optimizer: parameter '", name, "' is listed twice");
        LM_CHECK(p.defined(), "optimizer: parameter '", name, "' is undefined");
        LM_CHECK(is_floating(p.dtype()) && dtype_size(p.dtype()) >= 4, "optimizer: parameter '",
                 name, "' has dtype ", dtype_name(p.dtype()), "; expected float32 or float64");
        LM_CHECK(p.is_contiguous(), "optimizer: parameter '", name, "' is not contiguous");
        ParamState s{name, p, weight_decay_for(name, cfg_.weight_decay, cfg_.no_decay), 1.0, 0, {}};
        for (size_t i = 0; i < slot_names_.size(); ++i)
            s.slots.push_back(zeros_like(p));
        params_.push_back(std::move(s));
    }
}

Optimizer::~Optimizer() = default;

void Optimizer::set_lr_scale(const std::vector<std::string>& names, double scale) {
    const std::set<std::string> wanted(names.begin(), names.end());
    for (ParamState& s : params_) {
        if (wanted.count(s.name)) s.lr_scale = scale;
    }
}

void Optimizer::zero_grad() {
    for (ParamState& s : params_)
        s.param.set_grad(Tensor());
}

void Optimizer::set_lr(double lr) {
    LM_CHECK(std::isfinite(lr) && lr >= 0, "optimizer: lr must be >= 0, got ", lr);
    cfg_.lr = lr;
}

void Optimizer::set_beta1(double beta1) {
    LM_CHECK(beta1 >= 0 && beta1 < 1, "optimizer: beta1 must be in [0, 1), got ", beta1);
    cfg_.beta1 = beta1;
}

Tensor Optimizer::checked_grad(const ParamState& s) const {
    const Tensor g = s.param.grad();
    if (!g.defined()) return g;
    LM_CHECK(g.shape() == s.param.shape() && g.dtype() == s.param.dtype() &&
                 g.device() == s.param.device(),
             "optimizer: gradient of '", s.name, "' is ", g.str(), " but the parameter is ",
             s.param.str());
    return g;
}

nn::NamedTensors Optimizer::state() const {
    nn::NamedTensors out;
    out.emplace_back("step", int64_scalar(steps_));
    for (const ParamState& s : params_)
        out.emplace_back("step." + s.name, int64_scalar(s.step));
    for (size_t k = 0; k < slot_names_.size(); ++k) {
        for (const ParamState& s : params_)
            out.emplace_back(slot_names_[k] + "." + s.name, s.slots[k]);
    }
    return out;
}

namespace {
// Every expected name is given and every given name is expected; one error lists both kinds.
void check_state_names(const std::map<std::string, Tensor>& given,
                       const nn::NamedTensors& expected,
                       const std::string& type) {
    std::set<std::string> names;
    std::string missing, unexpected;
    const auto add = [](std::string* list, const std::string& name) {
        *list += (list->empty() ? "'" : ", '") + name + "'";
    };
    for (const auto& [name, t] : expected) {
        names.insert(name);
        if (!given.count(name)) add(&missing, name);
    }
    for (const auto& [name, t] : given) {
        if (!names.count(name)) add(&unexpected, name);
    }
    LM_CHECK(missing.empty() && unexpected.empty(), "optimizer state does not match this ", type,
             " optimizer (saved by a different optimizer type or model?):",
             missing.empty() ? "" : "\n  missing: ", missing,
             unexpected.empty() ? "" : "\n  unexpected: ", unexpected);
}
}  // namespace

void Optimizer::load_state(const nn::NamedTensors& state) {
    std::map<std::string, Tensor> given;
    for (const auto& [name, t] : state) {
        LM_CHECK(given.emplace(name, t).second, "optimizer state: '", name, "' is listed twice");
    }
    const nn::NamedTensors expected = this->state();
    check_state_names(given, expected, cfg_.type);
    for (const auto& [name, t] : expected) {
        const Tensor& src = given.at(name);
        if (t.dtype() == DType::Int64 && t.dim() == 0) {
            read_step(src, name);
        } else {
            LM_CHECK(src.shape() == t.shape() && src.dtype() == t.dtype(), "optimizer state: '",
                     name, "' is ", src.str(), " but this optimizer expects ", t.str());
        }
    }
    steps_ = read_step(given.at("step"), "step");
    for (ParamState& s : params_) {
        s.step = read_step(given.at("step." + s.name), "step." + s.name);
        for (size_t k = 0; k < slot_names_.size(); ++k) {
            const Tensor& src = given.at(slot_names_[k] + "." + s.name);
            s.slots[k].copy_(src.device() == s.param.device() ? src : src.to(s.param.device()));
            s.slots[k].bump_version();
        }
    }
}

}  // namespace lm::train
