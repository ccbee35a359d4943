// Attention kernels: the part of multi-head attention between the projections, one class per
// attention type, created by name from the registry (layers/attention/registry.h). Every kernel
// receives q, k, v [B, H, N, D] and a padding mask [B, N] (1 = token, 0 = padding) and returns
// [B, H, N, D].
//
// A kernel class declares, next to its code, what the registry needs of its type:
//   using Options = ...;                   its options struct (fields with their defaults)
//   static constexpr const char* kName     the type's name in configs
//   static constexpr const char* kSize     the option `landmark approx` sweeps ("" = none)
//   static std::vector<AttentionOption> options();   key, type, range or choices, doc of every
//                                          option it reads (its own and shared ones)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/base/options.h"
#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

// Every type's options (layers/attention/registry.h): a kernel's constructor reads its own.
struct AttentionConfig;
// An option of an attention type: key (without "model.attention."), type, doc, parser.
using AttentionOption = Option<AttentionConfig>;
// The options of `all` with the given keys, in that order (a type that reads another's options
// lists them with its own); throws if one is missing.
std::vector<AttentionOption> options_named(const std::vector<AttentionOption>& all,
                                           const std::vector<std::string>& keys);

// What a kernel may depend on besides its options.
struct AttentionContext {
    int64_t heads = 1;
    int64_t head_dim = 1;
    int64_t max_len = 1;
    Generator* init = nullptr;     // parameter init
    Generator* dropout = nullptr;  // dropout masks and resampled random features
};

// What an example's eval-mode outputs may depend on besides its own real tokens:
//   None          nothing (its predictions are the same alone, in any batch, under any padding)
//   PaddedLength  the padded length N of its batch (fixed padding makes it batch-independent)
//   Batch         the other examples of its batch
enum class ExampleCoupling { None, PaddedLength, Batch };
const char* coupling_name(ExampleCoupling c);

class AttentionKernel : public Module {
  public:
    virtual Tensor forward(const Tensor& q,
                           const Tensor& k,
                           const Tensor& v,
                           const Tensor& mask) = 0;
    virtual std::string type() const = 0;
    // Whether memory grows quadratically in N (only exact softmax attention).
    virtual bool quadratic() const { return false; }
    // Whether the outputs at unmasked positions, and every gradient, are independent of q, k, v
    // at masked positions (masked keys weigh exactly zero, masked rows are zeroed before use).
    // Then the encoder may skip the row-wise work on padding (EncoderConfig::skip_padding).
    virtual bool ignores_masked_rows() const { return false; }
    // What, in eval mode, an example's outputs at its real positions depend on besides its own
    // real tokens (docs/attention.md, "Batch independence").
    virtual ExampleCoupling coupling() const { return ExampleCoupling::None; }
};

}  // namespace lm::nn
