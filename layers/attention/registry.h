// The attention types: one list (AttentionTypes), from which the config struct, the factory,
// validation, the config keys (`landmark config --describe`), `landmark approx` and the zoo
// tests all come. Adding a type = its kernel files + one line in AttentionTypes + its section in
// docs/attention.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/attention/attention_kernel.h"
#include "layers/attention/feedforward_kernel.h"
#include "layers/attention/kernelized_rpe_kernel.h"
#include "layers/attention/linear_kernel.h"
#include "layers/attention/linformer_kernel.h"
#include "layers/attention/none_kernel.h"
#include "layers/attention/nystrom_kernel.h"
#include "layers/attention/performer_kernel.h"
#include "layers/attention/schoenbat_kernel.h"
#include "layers/attention/skyformer_kernel.h"
#include "layers/attention/softmax_kernel.h"
#include "layers/attention/spectral_shift_kernel.h"

namespace lm::nn {

template <class... Kernels>
struct AttentionTypeList {};

// Every registered type, in the order sweeps run them (softmax first: the exact baseline).
using AttentionTypes = AttentionTypeList<SoftmaxKernel,
                                         NystromKernel,
                                         SpectralShiftKernel,
                                         SkyformerKernel,
                                         KernelizedRpeKernel,
                                         PerformerKernel,
                                         LinformerKernel,
                                         FeedforwardKernel,
                                         SchoenbatKernel,
                                         LinearKernel,
                                         NoneKernel>;

template <class List>
struct OptionsOfAll;
template <class... Kernels>
struct OptionsOfAll<AttentionTypeList<Kernels...>> : Kernels::Options... {};

// The options of every type (each kernel reads its own, by field name) and the chosen type.
struct AttentionConfig : OptionsOfAll<AttentionTypes> {
    std::string type = "nystrom";
};

// One registered type as the tools see it.
struct AttentionTypeInfo {
    std::string name;
    std::string size_option;  // what `landmark approx` sweeps ("" = nothing)
    std::vector<AttentionOption> options;
};
const std::vector<AttentionTypeInfo>& attention_types();
// Registered type names, in the order sweeps run them.
std::vector<std::string> attention_kernel_names();
// The options of all types, each key once, in registry order; each doc starts with the types
// that read it ("nystrom, spectral_shift: number of landmarks m").
const std::vector<AttentionOption>& attention_options();
// The size option of a registered type ("" = none); throws for an unknown type.
std::string attention_size_option(const std::string& type);

std::shared_ptr<AttentionKernel> make_attention_kernel(const AttentionConfig& cfg,
                                                       const AttentionContext& ctx);
// Checks every option against its declaration (ranges, choices); throws lm::OptionError naming
// the key ("model.attention.landmarks: expected an integer in [1, 1048576], got '0'").
void validate_attention_config(const AttentionConfig& cfg);

}  // namespace lm::nn
