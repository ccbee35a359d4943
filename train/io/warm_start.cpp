#include "train/io/warm_start.h"

#include <map>

#include "core/autograd/functional.h"
#include "core/autograd/grad_mode.h"
#include "core/base/strings.h"
#include "train/io/module_state.h"

namespace lm::train {

namespace {

// Rows of `src` [L, ...] repeated in order (or cut) to `rows` rows.
Tensor resize_rows(const Tensor& src, int64_t rows) {
    const int64_t have = src.size(0);
    std::vector<Tensor> pieces;
    for (int64_t done = 0; done < rows; done += have)
        pieces.push_back(src.narrow(0, 0, std::min(have, rows - done)));
    return pieces.size() == 1 ? pieces[0] : concat(pieces, 0);
}

bool same_but_rows(const Tensor& a, const Tensor& b) {
    if (a.dim() != b.dim() || a.dim() == 0) return false;
    for (int d = 1; d < a.dim(); ++d) {
        if (a.size(d) != b.size(d)) return false;
    }
    return true;
}

}  // namespace

WarmStartReport warm_start(nn::Module& module,
                           const nn::NamedTensors& checkpoint,
                           const std::string& source) {
    std::map<std::string, Tensor> given(checkpoint.begin(), checkpoint.end());
    WarmStartReport report;
    std::vector<std::pair<Tensor, Tensor>> copies;  // destination, source
    for (const auto& [name, dst] : module_state(module)) {
        const auto it = given.find(name);
        if (it == given.end()) {
            report.initialised.push_back(name);
            continue;
        }
        Tensor src = it->second;
        if (src.shape() != dst.shape()) {
            LM_CHECK(name == kPositionTable && same_but_rows(src, dst), source, ": tensor '", name,
                     "' is ", src.shape().str(), " in the checkpoint but ", dst.shape().str(),
                     " in the model");
            report.resized.push_back(name + ": from " + src.shape().str() + " to " +
                                     dst.shape().str());
            src = resize_rows(src, dst.size(0));
        }
        report.loaded.push_back(name);
        copies.emplace_back(dst, src);
        given.erase(it);
    }
    for (const auto& [name, t] : given)
        report.unused.push_back(name);
    LM_CHECK(!report.loaded.empty(), source,
             ": shares no tensor name with the model (is it a landmark checkpoint of an "
             "encoder model?)");
    NoGradGuard no_grad;
    for (auto& [dst, src] : copies) {
        Tensor d = dst;
        d.copy_(src.to(d.dtype()).to(d.device()));
        d.bump_version();
    }
    return report;
}

std::vector<std::string> describe(const WarmStartReport& r, const std::string& source) {
    static constexpr size_t kListed = 8;  // names shown per line
    auto line = [](const std::string& what, const std::vector<std::string>& names) {
        if (names.empty()) return what + " 0";
        std::vector<std::string> shown(names.begin(),
                                       names.begin() + std::min(names.size(), kListed));
        if (names.size() > kListed)
            shown.push_back("... " + std::to_string(names.size() - kListed) + " more");
        return what + " " + std::to_string(names.size()) + " (" + join(shown, ", ") + ")";
    };
    std::vector<std::string> out = {"init_from " + source + ": " + line("loaded", r.loaded),
                                    line("newly initialised", r.initialised),
                                    line("unused from the checkpoint", r.unused)};
    for (const auto& resized : r.resized)
        out.push_back("position table " + resized);
    return out;
}

}  // namespace lm::train
