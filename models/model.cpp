#include "models/model.h"

#include "models/classifier.h"
#include "models/masked_lm.h"

namespace lm::models {

std::shared_ptr<Model> make_model(const ModelConfig& cfg, Generator& init, Generator& dropout_gen) {
    if (cfg.type == "classifier")
        return std::make_shared<SequenceClassifier>(cfg, init, dropout_gen);
    if (cfg.type == "dual_encoder") return std::make_shared<DualEncoder>(cfg, init, dropout_gen);
    if (cfg.type == "masked_lm")
        return std::make_shared<MaskedLanguageModel>(cfg, init, dropout_gen);
    LM_CHECK(false, "unknown model type '", cfg.type,
             "'; expected classifier, dual_encoder or masked_lm");
}

}  // namespace lm::models
