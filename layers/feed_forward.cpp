#include "layers/feed_forward.h"

#include "core/autograd/functional.h"

namespace lm::nn {

Activation activation_from_name(const std::string& name) {
    if (name == "gelu") return Activation::Gelu;
    if (name == "gelu_tanh") return Activation::GeluTanh;
    if (name == "relu") return Activation::Relu;
    LM_CHECK(false, "unknown activation '", name, "'; expected gelu, gelu_tanh or relu");
}

FeedForward::FeedForward(int64_t dim,
                         int64_t hidden,
                         Activation act,
                         double dropout,
                         Generator& init,
                         Generator& dropout_gen)
    : act_(act) {
    fc1_ = register_module("fc1", std::make_shared<Linear>(dim, hidden, true, init));
    fc2_ = register_module("fc2", std::make_shared<Linear>(hidden, dim, true, init));
    drop1_ = register_module("dropout1", std::make_shared<Dropout>(dropout, dropout_gen));
    drop2_ = register_module("dropout2", std::make_shared<Dropout>(dropout, dropout_gen));
}

Tensor FeedForward::forward(const Tensor& x) const {
    Tensor h = fc1_->forward(x);
    switch (act_) {
        case Activation::Gelu:
            h = gelu(h, GeluApprox::Erf);
            break;
        case Activation::GeluTanh:
            h = gelu(h, GeluApprox::Tanh);
            break;
        case Activation::Relu:
            h = relu(h);
            break;
    }
    return drop2_->forward(fc2_->forward(drop1_->forward(h)));
}

}  // namespace lm::nn
