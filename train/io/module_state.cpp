#include "train/io/module_state.h"

#include <map>

#include "core/autograd/grad_mode.h"

namespace lm::train {

namespace {
constexpr size_t kMaxListed = 8;  // names listed per kind of problem

void append(std::string* list, size_t* count, const std::string& item) {
    if ((*count)++ < kMaxListed) *list += (list->empty() ? "" : ", ") + item;
}

std::string describe(const Tensor& t) {
    return std::string(dtype_name(t.dtype())) + t.shape().str();
}

std::string summary(const char* what, const std::string& list, size_t count) {
    if (count == 0) return "";
    std::string s = "\n  " + std::to_string(count) + " " + what + ": " + list;
    return count > kMaxListed ? s + ", ..." : s;
}
}  // namespace

nn::NamedTensors module_state(const nn::Module& module) {
    nn::NamedTensors out = module.named_parameters();
    for (auto& nt : module.named_buffers())
        out.push_back(std::move(nt));
    return out;
}

void load_into_module(nn::Module& module,
                      const nn::NamedTensors& tensors,
                      const std::string& source) {
    std::map<std::string, Tensor> given;
    for (const auto& [name, t] : tensors) {
        LM_CHECK(given.emplace(name, t).second, source, ": tensor '", name, "' is listed twice");
    }
    const nn::NamedTensors targets = module_state(module);
    std::string missing, mismatched, unexpected;
    size_t n_missing = 0, n_mismatched = 0, n_unexpected = 0;
    std::map<std::string, bool> known;
    for (const auto& [name, dst] : targets) {
        known[name] = true;
        const auto it = given.find(name);
        if (it == given.end()) {
            append(&missing, &n_missing, "'" + name + "'");
        } else if (it->second.shape() != dst.shape() || it->second.dtype() != dst.dtype()) {
            append(&mismatched, &n_mismatched,
                   "'" + name + "' is " + describe(it->second) + " in the checkpoint but " +
                       describe(dst) + " in the model");
        }
    }
    for (const auto& [name, t] : given) {
        if (!known.count(name)) append(&unexpected, &n_unexpected, "'" + name + "'");
    }
    LM_CHECK(n_missing + n_mismatched + n_unexpected == 0, source,
             " does not match the model (different model shape or attention type?):",
             summary("missing", missing, n_missing),
             summary("unexpected", unexpected, n_unexpected),
             summary("mismatched", mismatched, n_mismatched));
    NoGradGuard no_grad;
    for (const auto& [name, dst] : targets) {
        Tensor d = dst;
        const Tensor& src = given.at(name);
        d.copy_(src.device() == d.device() ? src : src.to(d.device()));
        d.bump_version();
    }
}

}  // namespace lm::train
