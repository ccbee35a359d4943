// landmark approx: how well each attention kernel approximates exact attention on given q/k/v,
// as the size of its approximation (landmarks, features or projected length) grows. Errors are
// relative Frobenius errors over the real (unpadded) query rows, against exact softmax
// attention and, for kernels that approximate another kernel, against their own exact kernel.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "layers/attention/exact_reference.h"
#include "layers/attention/registry.h"
#include "tools/landmark/approx_inputs.h"
#include "tools/landmark/commands.h"
#include "train/config.h"

namespace lm::cli {

namespace {

struct ApproxArgs {
    std::string q, k, v, mask, csv, checkpoint, task, dtype = "float64";
    std::string types;  // empty: every registered type but softmax (the reference)
    std::string sizes = "16,32,64,128";
    std::vector<std::string> sets;
    uint64_t seed = 0;
    int64_t layer = 0, examples = 4;
};

struct Row {
    std::string type, option;
    int64_t size = 0;
    double err = 0, err_own = NAN, ms = 0;
};

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

// Defaults of the tool (no conv skip: it is not part of the approximation), then --set, then
// the swept size.
nn::AttentionConfig kernel_config(const ApproxArgs& a, const std::string& type, int64_t size) {
    train::Config cfg;
    auto& att = cfg.model.encoder.attention;
    att.type = type;
    att.conv_kernel = 0;
    for (const auto& s : a.sets) {
        train::apply_override(cfg,
                              s.rfind("model.attention.", 0) == 0 ? s : "model.attention." + s);
    }
    const std::string opt = nn::attention_size_option(type);
    if (!opt.empty()) {
        train::apply_override(cfg, "model.attention." + opt + "=" + std::to_string(size));
    }
    return att;
}

// ||a - b|| and ||b|| over real query rows, accumulated into num/den.
void accumulate(const Tensor& a, const Tensor& b, const Tensor& keep, double* num, double* den) {
    const Tensor d = (a - b) * keep, r = b * keep;
    *num += sum(d * d).item();
    *den += sum(r * r).item();
}

Row measure(const ApproxArgs& a,
            const ApproxInputs& in,
            const Tensor& exact,
            const std::string& type,
            int64_t size) {
    const int64_t B = in.q.size(0), H = in.q.size(1), N = in.q.size(2);
    Generator init(a.seed), drop(a.seed + 1);
    auto kernel =
        nn::make_attention_kernel(kernel_config(a, type, size), {H, in.q.size(3), N, &init, &drop});
    kernel->to(in.q.dtype());
    kernel->eval();
    NoGradGuard no_grad;
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor out = kernel->forward(in.q, in.k, in.v, in.mask);
    const auto t1 = std::chrono::steady_clock::now();
    Row row{type, nn::attention_size_option(type), size};
    row.ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const Tensor keep = in.mask.view({B, 1, N, 1});
    double num = 0, den = 0, num_own = 0, den_own = 0;
    accumulate(out, exact, keep, &num, &den);
    row.err = std::sqrt(num / den);
    for (int64_t b = 0; b < B; ++b) {  // quadratic references one batch element at a time
        auto one = [&](const Tensor& t) { return t.narrow(0, b, 1); };
        const Tensor own =
            nn::own_exact_reference(*kernel, one(in.q), one(in.k), one(in.v), one(in.mask));
        if (!own.defined()) break;
        accumulate(one(out), own, one(keep), &num_own, &den_own);
    }
    if (den_own > 0) row.err_own = std::sqrt(num_own / den_own);
    return row;
}

std::string fmt(double x, const char* spec) {
    if (std::isnan(x)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, spec, x);
    return buf;
}

void print_table(const std::vector<Row>& rows, const ApproxInputs& in) {
    std::printf("inputs: %s; batch %lld, heads %lld, n %lld, d %lld\n", in.source.c_str(),
                static_cast<long long>(in.q.size(0)), static_cast<long long>(in.q.size(1)),
                static_cast<long long>(in.q.size(2)), static_cast<long long>(in.q.size(3)));
    std::printf("%-19s %-20s %6s %14s %14s %10s\n", "type", "option", "size", "err_softmax",
                "err_own_kernel", "time_ms");
    for (const Row& r : rows) {
        std::printf("%-19s %-20s %6s %14s %14s %10s\n", r.type.c_str(),
                    r.option.empty() ? "-" : r.option.c_str(),
                    r.option.empty() ? "-" : std::to_string(r.size).c_str(),
                    fmt(r.err, "%.4e").c_str(), fmt(r.err_own, "%.4e").c_str(),
                    fmt(r.ms, "%.2f").c_str());
    }
}

void write_csv(const std::vector<Row>& rows, const std::string& path) {
    std::ofstream out(path);
    if (!out) throw UsageError("approx: cannot write " + path);
    out << "type,option,size,rel_err_softmax,rel_err_own_kernel,time_ms\n";
    for (const Row& r : rows) {
        out << r.type << ',' << r.option << ',' << (r.option.empty() ? "" : std::to_string(r.size))
            << ',' << fmt(r.err, "%.8e") << ','
            << (std::isnan(r.err_own) ? "" : fmt(r.err_own, "%.8e")) << ',' << fmt(r.ms, "%.3f")
            << '\n';
    }
}

void run_approx(const ApproxArgs& a) {
    const DType dtype = dtype_from_name(a.dtype);
    const ApproxInputs in =
        a.checkpoint.empty() ? load_npy_inputs(a.q, a.k, a.v, a.mask, dtype)
                             : checkpoint_inputs(a.checkpoint, a.task, a.layer, a.examples, dtype);
    std::vector<int64_t> sizes;
    for (const auto& s : split_list(a.sizes)) {
        sizes.push_back(std::stoll(s));
    }
    if (sizes.empty()) throw UsageError("approx: --landmarks needs at least one size");
    const auto names = nn::attention_kernel_names();
    std::vector<std::string> types = split_list(a.types);
    if (a.types.empty()) {
        std::copy_if(names.begin(), names.end(), std::back_inserter(types),
                     [](const std::string& t) { return t != "softmax"; });
    }
    for (const auto& t : types) {
        if (std::find(names.begin(), names.end(), t) == names.end()) {
            throw UsageError("approx: unknown attention type '" + t + "'");
        }
    }
    Tensor exact;
    {
        NoGradGuard no_grad;
        exact = softmax_attention(in.q, in.k, in.v, in.mask);  // exact, one block of rows at a time
    }
    std::vector<Row> rows;
    for (const auto& type : types) {
        if (nn::attention_size_option(type).empty()) {
            rows.push_back(measure(a, in, exact, type, 0));
            continue;
        }
        for (int64_t s : sizes) {
            rows.push_back(measure(a, in, exact, type, s));
        }
    }
    print_table(rows, in);
    if (!a.csv.empty()) write_csv(rows, a.csv);
}

}  // namespace

void register_approx_command(CLI::App& app) {
    auto a = std::make_shared<ApproxArgs>();
    auto* c = app.add_subcommand("approx",
                                 "Approximation error of attention kernels against exact "
                                 "attention on given or extracted q/k/v");
    c->add_option("--q", a->q, "q.npy [batch, heads, seq, head_dim]");
    c->add_option("--k", a->k, "k.npy (same shape as q)");
    c->add_option("--v", a->v, "v.npy [batch, heads, seq, value_dim]");
    c->add_option("--mask", a->mask, "mask.npy [batch, seq] (1 = token; default all ones)");
    c->add_option("--types", a->types,
                  "Comma-separated attention types (default: all but softmax)");
    c->add_option("--landmarks", a->sizes, "Comma-separated sizes: landmarks, features or k");
    c->add_option("--csv", a->csv, "Also write the table as CSV");
    c->add_option("--seed", a->seed, "Seed of random features, landmarks and parameters");
    c->add_option("--set", a->sets, "Other kernel options: --set pinv_iterations=6");
    c->add_option("--dtype", a->dtype, "float64 (default) or float32");
    c->add_option("--from-checkpoint", a->checkpoint,
                  "Run directory: extract q/k/v from its model");
    c->add_option("--task", a->task, "The run's task (checked against the checkpoint)");
    c->add_option("--layer", a->layer, "Encoder block whose attention inputs are used");
    c->add_option("--examples", a->examples, "Validation examples in the batch");
    c->callback([a] { run_approx(*a); });
}

}  // namespace lm::cli
