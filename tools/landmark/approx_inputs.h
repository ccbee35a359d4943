// Inputs of `landmark approx`: q, k, v [B, H, N, d] and mask [B, N], from .npy files or from a
// trained model's attention layer on real validation examples.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor/tensor.h"

namespace lm::cli {

struct ApproxInputs {
    Tensor q, k, v, mask;
    std::string source;  // what the tensors are, for the report header
};

// q.npy, k.npy, v.npy and an optional mask.npy (all ones when empty), converted to `dtype`.
ApproxInputs load_npy_inputs(const std::string& q,
                             const std::string& k,
                             const std::string& v,
                             const std::string& mask,
                             DType dtype);

// The q/k/v projections of encoder block `layer` of the run's model on the first `examples`
// validation examples of its task (batched as its evaluation batches them). `task`, when not
// empty, must name the run's task.
ApproxInputs checkpoint_inputs(const std::string& run_dir,
                               const std::string& task,
                               int64_t layer,
                               int64_t examples,
                               DType dtype);

}  // namespace lm::cli
