#include <algorithm>
#include <cctype>

#include "train/optim/adam.h"
#include "train/optim/optimizer.h"
#include "train/optim/sgd.h"

namespace lm::train {

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& cfg,
                                          const nn::NamedTensors& params) {
    std::string type = cfg.type;
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    OptimizerConfig c = cfg;
    c.type = type;
    if (type == "adamw") return std::make_unique<Adam>(c, params, /*decoupled=*/true);
    if (type == "adam") return std::make_unique<Adam>(c, params, /*decoupled=*/false);
    if (type == "sgd") return std::make_unique<Sgd>(c, params);
    LM_CHECK(false, "unknown optimizer type '", cfg.type, "' (expected one of: adamw, adam, sgd)");
    return nullptr;
}

}  // namespace lm::train
