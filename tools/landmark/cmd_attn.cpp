// landmark attn: apply one attention kernel to tensors given as .npy files, and optionally its
// backward (the gradients of sum(out * grad_out)).
#include <CLI/CLI.hpp>

#include <filesystem>

#include "core/autograd/functional.h"
#include "core/tensor/npy.h"
#include "layers/attention/registry.h"
#include "tools/landmark/commands.h"
#include "train/config_fields.h"

namespace lm::cli {

namespace fs = std::filesystem;

namespace {

struct AttnArgs {
    std::string type = "nystrom", dtype = "float64", inputs, out;
    int64_t landmarks = 64, conv_kernel = 0;
    std::vector<std::string> sets;
    uint64_t seed = 0;
};

// --set key=value for any model.attention.* option.
nn::AttentionConfig attention_config(const AttnArgs& a) {
    train::Config cfg;
    auto& att = cfg.model.encoder.attention;
    att.type = a.type;
    att.landmarks = a.landmarks;
    att.conv_kernel = a.conv_kernel;
    for (const auto& s : a.sets) {
        train::apply_override(cfg,
                              s.rfind("model.attention.", 0) == 0 ? s : "model.attention." + s);
    }
    return att;
}

Tensor load(const fs::path& dir, const std::string& name, DType dtype) {
    return load_npy((dir / name).string()).to(dtype);
}

void run_attn(const AttnArgs& a) {
    const fs::path in(a.inputs), out(a.out);
    if (!fs::is_directory(in))
        throw UsageError("attn: --inputs " + a.inputs + " is not a directory");
    const DType dtype = dtype_from_name(a.dtype);
    Tensor q = load(in, "q.npy", dtype), k = load(in, "k.npy", dtype), v = load(in, "v.npy", dtype);
    const Tensor mask = load(in, "mask.npy", dtype);
    LM_CHECK(q.dim() == 4, "attn: q.npy must be [batch, heads, seq, head_dim], got ",
             q.shape().str());
    Generator init(a.seed), drop(a.seed + 1);
    auto kernel = nn::make_attention_kernel(attention_config(a),
                                            {q.size(1), q.size(3), q.size(2), &init, &drop});
    kernel->to(dtype);
    kernel->eval();
    for (auto& [name, p] : kernel->named_parameters()) {  // e.g. conv.weight <- conv_weight.npy
        std::string file = name;
        std::replace(file.begin(), file.end(), '.', '_');
        if (!fs::exists(in / (file + ".npy"))) continue;
        const Tensor value = load(in, file + ".npy", dtype);
        LM_CHECK(value.shape() == p.shape(), "attn: ", file, ".npy has shape ", value.shape().str(),
                 " but the kernel's ", name, " is ", p.shape().str());
        NoGradGuard no_grad;
        p.copy_(value);
    }
    const bool backward = fs::exists(in / "grad_out.npy");
    for (Tensor* t : {&q, &k, &v})
        t->requires_grad_(backward);
    const Tensor o = kernel->forward(q, k, v, mask);
    fs::create_directories(out);
    save_npy((out / "out.npy").string(), o);
    if (!backward) return;
    sum(o * load(in, "grad_out.npy", dtype)).backward();
    save_npy((out / "dq.npy").string(), q.grad());
    save_npy((out / "dk.npy").string(), k.grad());
    save_npy((out / "dv.npy").string(), v.grad());
    for (auto& [name, p] : kernel->named_parameters()) {
        std::string file = "d" + name;
        std::replace(file.begin(), file.end(), '.', '_');
        if (p.grad().defined()) save_npy((out / (file + ".npy")).string(), p.grad());
    }
}

}  // namespace

void register_attn_command(CLI::App& app) {
    auto a = std::make_shared<AttnArgs>();
    auto* c = app.add_subcommand("attn", "Apply an attention kernel to q/k/v/mask .npy files");
    c->add_option("--type", a->type, "Attention kernel (softmax, nystrom, ...)");
    c->add_option("--landmarks", a->landmarks, "Number of landmarks (nystrom)");
    c->add_option("--conv-kernel", a->conv_kernel, "Conv skip taps (nystrom; 0 = off)");
    c->add_option("--dtype", a->dtype, "float32 or float64");
    c->add_option("--inputs", a->inputs,
                  "Directory with q.npy k.npy v.npy mask.npy [conv_weight.npy] "
                  "[grad_out.npy]")
        ->required();
    c->add_option("--out", a->out, "Directory for out.npy and the gradients")->required();
    c->add_option("--set", a->sets, "Other kernel options: --set pinv_iterations=6");
    c->add_option("--seed", a->seed, "Seed of parameters not given as .npy");
    c->callback([a] { run_attn(*a); });
}

}  // namespace lm::cli
