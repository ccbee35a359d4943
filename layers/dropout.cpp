#include "layers/dropout.h"

#include "core/autograd/functional.h"

namespace lm::nn {

Tensor Dropout::forward(const Tensor& x) const {
    return dropout(x, p_, is_training(), *gen_);
}

}  // namespace lm::nn
