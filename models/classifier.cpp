#include "models/classifier.h"

#include "core/autograd/functional.h"

namespace lm::models {

Pooling parse_pooling(const std::string& name) {
    if (name == "cls") return Pooling::Cls;
    LM_CHECK(name == "mean", "unknown pooling '", name, "'; expected mean or cls");
    return Pooling::Mean;
}

Tensor pool(const Tensor& x, const Tensor& mask, Pooling pooling) {
    if (pooling == Pooling::Cls) return x.select(1, 0);
    // Mean over real tokens only. The reference divides by the padded length instead; dividing
    // by the token count makes the pooled vector independent of how much padding a batch has.
    const Tensor m = mask.unsqueeze(-1);
    const Tensor count = clamp(sum(m, {1}), 1.0, 1e30);
    return sum(x * m, {1}) / count;
}

ClassifierHead::ClassifierHead(int64_t in, int64_t hidden, int64_t classes, Generator& init) {
    LM_CHECK(classes > 1, "model: num_classes must be at least 2, got ", classes);
    fc1_ = register_module("fc1", std::make_shared<nn::Linear>(in, hidden, true, init));
    fc2_ = register_module("fc2", std::make_shared<nn::Linear>(hidden, classes, true, init));
}

Tensor ClassifierHead::forward(const Tensor& x) const {
    return fc2_->forward(relu(fc1_->forward(x)));
}

namespace {
int64_t head_hidden(const ModelConfig& cfg) {
    return cfg.head_hidden > 0 ? cfg.head_hidden : cfg.encoder.ffn_dim;
}
}  // namespace

SequenceClassifier::SequenceClassifier(const ModelConfig& cfg,
                                       Generator& init,
                                       Generator& dropout_gen)
    : pooling_(parse_pooling(cfg.pooling)) {
    encoder_ =
        register_module("encoder", std::make_shared<nn::Encoder>(cfg.encoder, init, dropout_gen));
    head_ = register_module("head", std::make_shared<ClassifierHead>(
                                        cfg.encoder.dim, head_hidden(cfg), cfg.num_classes, init));
}

Tensor SequenceClassifier::forward(const Inputs& in) {
    return head_->forward(pool(encoder_->forward(in.ids, in.mask), in.mask, pooling_));
}

DualEncoder::DualEncoder(const ModelConfig& cfg, Generator& init, Generator& dropout_gen)
    : pooling_(parse_pooling(cfg.pooling)) {
    encoder_ =
        register_module("encoder", std::make_shared<nn::Encoder>(cfg.encoder, init, dropout_gen));
    head_ =
        register_module("head", std::make_shared<ClassifierHead>(
                                    4 * cfg.encoder.dim, head_hidden(cfg), cfg.num_classes, init));
}

Tensor DualEncoder::forward(const Inputs& in) {
    LM_CHECK(in.ids2.defined(), "dual encoder: the batch has no second document");
    const Tensor u = pool(encoder_->forward(in.ids, in.mask), in.mask, pooling_);
    const Tensor v = pool(encoder_->forward(in.ids2, in.mask2), in.mask2, pooling_);
    return head_->forward(concat({u, v, u * v, u - v}, 1));
}

}  // namespace lm::models
