// Attention kernels: the part of multi-head attention between the projections, created by name
// from a registry. Every kernel receives q, k, v [B, H, N, D] and a padding mask [B, N]
// (1 = token, 0 = padding) and returns [B, H, N, D].
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

// Options of all kernels; each kernel reads its own (see docs/attention.md).
struct AttentionConfig {
    std::string type = "nystrom";
    double dropout = 0.1;                       // softmax: attention-probability dropout
    int64_t landmarks = 64;                     // nystrom: number of landmarks m
    int64_t pinv_iterations = 6;                // nystrom: iterations of the pseudo-inverse
    std::string pinv_init = "per_matrix";       // nystrom: "per_matrix" or "global" (reference)
    std::string landmark_mode = "per_example";  // nystrom: "per_example" or "reference"
    int64_t conv_kernel = 35;                   // nystrom: depthwise conv skip on V (0 = off)
    // spectral_shift also reads landmarks, pinv_iterations and conv_kernel.
    int64_t shift_samples = 64;  // spectral_shift: keys sampled per row for the delta estimate
    bool shift_detach = true;    // spectral_shift: delta is a constant (stop-gradient)
    // skyformer also reads pinv_iterations and pinv_init.
    int64_t skyformer_landmarks = 128;  // skyformer: landmarks (half q rows, half k rows)
    double gamma = 0.1;                 // skyformer: ridge gamma I added to the landmark kernel
    int64_t rpe_features = 32;          // kernelized_rpe: positive random features m
    int64_t performer_features = 128;   // performer: orthogonal random features m
    int64_t redraw_interval = 0;  // performer: redraw features every N training calls (0 = never)
    std::string scale = "standard";        // performer: "standard" q.k/sqrt(d) or "reference" q.k/d
    int64_t linformer_k = 256;             // linformer: projected length k
    int64_t ff_features = 64;              // feedforward_kernel: feature dimension m of phi
    int64_t ff_hidden = 64;                // feedforward_kernel: hidden width of the phi MLP
    std::string ff_activation = "gelu";    // feedforward_kernel: hidden activation gelu | relu
    std::string ff_positive = "softplus";  // feedforward_kernel: output map softplus | elu1 | exp
    bool ff_per_head = false;              // feedforward_kernel: one phi per head (else shared)
    int64_t schoenbat_features = 128;  // schoenbat: Maclaurin features (1 constant + m - 1 random)
    std::string dotf = "exp";          // schoenbat: dot kernel exp | inverse | logi | trigh | sqrt
};

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

std::shared_ptr<AttentionKernel> make_attention_kernel(const AttentionConfig& cfg,
                                                       const AttentionContext& ctx);
// Registered kernel names, in the order sweeps run them.
std::vector<std::string> attention_kernel_names();
// Checks the options a kernel uses (ranges, enums); throws lm::Error naming the option.
void validate_attention_config(const AttentionConfig& cfg);

}  // namespace lm::nn
