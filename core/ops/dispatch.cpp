#include "core/ops/dispatch.h"

namespace lm {

namespace detail {
void throw_no_cuda(const char* op) {
    throw Error(str_cat(op,
                        ": this build of landmark has no CUDA backend (configure with nvcc "
                        "available, or -DLANDMARK_CUDA=ON)"));
}
}  // namespace detail

Strides broadcast_strides(const Tensor& t, const Shape& shape) {
    const int n = shape.size(), k = t.dim();
    LM_ASSERT(k <= n, "broadcast of ", t.shape().str(), " to ", shape.str());
    Strides s = Dims::filled(n, 0);
    for (int i = 0; i < k; ++i) {
        const int d = n - k + i;
        LM_ASSERT(t.size(i) == shape[d] || t.size(i) == 1, "broadcast of ", t.shape().str(), " to ",
                  shape.str());
        s[d] = t.size(i) == 1 && shape[d] != 1 ? 0 : t.stride(i);
    }
    return s;
}

}  // namespace lm
