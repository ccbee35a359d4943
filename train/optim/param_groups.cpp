#include "train/optim/param_groups.h"

#include "core/base/check.h"
#include "train/config.h"

namespace lm::train {

namespace {
// Iterative glob: '*' matches any run, '?' one character; backtracks to the last '*'.
bool glob_match(const std::string& s, const std::string& p) {
    size_t si = 0, pi = 0, star = std::string::npos, mark = 0;
    while (si < s.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
            ++si;
            ++pi;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (star != std::string::npos) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*')
        ++pi;
    return pi == p.size();
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

bool name_matches(const std::string& name, const std::string& pattern) {
    LM_CHECK(!pattern.empty(), "no_decay: empty name pattern");
    if (pattern.find_first_of("*?") != std::string::npos) return glob_match(name, pattern);
    if (pattern[0] == '.') return ends_with(name, pattern) || name == pattern.substr(1);
    return name.find(pattern) != std::string::npos;
}

bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
    for (const std::string& p : patterns) {
        if (name_matches(name, p)) return true;
    }
    return false;
}

double weight_decay_for(const std::string& name,
                        double weight_decay,
                        const std::vector<std::string>& no_decay) {
    return matches_any(name, no_decay) ? 0.0 : weight_decay;
}

// Every parameter but those under a train.freeze prefix, which stop requiring grad (PyTorch's
// requires_grad_(False)). A prefix that matches no parameter is a config error.
nn::NamedTensors trainable_parameters(nn::Module& model, const std::vector<std::string>& freeze) {
    nn::NamedTensors trainable;
    std::vector<bool> used(freeze.size(), false);
    for (auto [name, p] : model.named_parameters()) {
        bool frozen = false;
        for (size_t i = 0; i < freeze.size(); ++i) {
            if (name.rfind(freeze[i], 0) == 0) frozen = used[i] = true;
        }
        if (frozen)
            p.requires_grad_(false);
        else
            trainable.emplace_back(name, p);
    }
    for (size_t i = 0; i < freeze.size(); ++i) {
        if (!used[i]) {
            throw ConfigError("config: train.freeze: '" + freeze[i] +
                              "' is the prefix of no parameter (names start with encoder., "
                              "head., mlm_head.)");
        }
    }
    return trainable;
}

}  // namespace lm::train
