// landmark compare-devices: every op the models train with, run on a device and on the CPU from
// the same inputs (forward and gradients), with the largest relative error per op:
//   max_i |device_i - cpu_i| / max_i |cpu_i|   over all of an op's outputs and gradients.
// `--device cpu` compares the CPU with itself (a dry run of the whole path; errors are 0).
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/autograd/attention.h"
#include "core/autograd/functional.h"
#include "core/kernels/optim.h"
#include "core/ops/matmul_mixed.h"
#include "core/ops/optim.h"
#include "core/tensor/device.h"
#include "tools/landmark/commands.h"

namespace lm::cli {

namespace {

using Tensors = std::vector<Tensor>;

struct OpCase {
    std::string name;
    double tolerance;  // largest relative error accepted
    // The op's outputs and the gradients of sum(outputs[0] * w) w.r.t. its inputs, on `device`.
    std::function<Tensors(Device)> run;
};

Tensor random(const Shape& shape, uint64_t seed, DType dtype, double lo = -1, double hi = 1) {
    Generator gen(seed);
    Tensor t = empty(shape, dtype);
    uniform_(t, lo, hi, gen);
    return t;
}

// f's output and the gradients of sum(f(x) * w) for leaves x (copies of `inputs` on `device`).
Tensors with_grads(const Tensors& inputs,
                   Device device,
                   const std::function<Tensor(const Tensors&)>& f) {
    Tensors leaves;
    for (const Tensor& x : inputs)
        leaves.push_back(x.detach().to(device).requires_grad_());
    const Tensor y = f(leaves);
    const Tensor w = random(y.shape(), 99, y.dtype()).to(device);
    sum(y * w).backward();
    Tensors out = {y.detach()};
    for (const Tensor& x : leaves)
        out.push_back(x.grad());
    return out;
}

double largest_relative_error(const Tensors& got, const Tensors& ref) {
    double worst = 0;
    if (got.size() != ref.size()) return INFINITY;
    for (size_t i = 0; i < ref.size(); ++i) {
        if (got[i].numel() != ref[i].numel()) return INFINITY;
        const std::vector<double> g =
            got[i].to(Device::cpu()).to(DType::Float64).to_vector<double>();
        const std::vector<double> r = ref[i].to(DType::Float64).to_vector<double>();
        double diff = 0, scale = 0;
        for (size_t j = 0; j < r.size(); ++j) {
            if (!std::isfinite(g[j]) || !std::isfinite(r[j])) return INFINITY;  // NaN or inf
            diff = std::max(diff, std::fabs(g[j] - r[j]));
            scale = std::max(scale, std::fabs(r[j]));
        }
        worst = std::max(worst, scale > 0 ? diff / scale : diff);
    }
    return worst;
}

Tensor ragged_mask(int64_t B, int64_t N, DType dtype) {
    std::vector<double> m(B * N, 0.0);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t len = b == 0 ? N : (b * 37) % N + 1;  // full, ragged, some shorter than m
        std::fill_n(m.begin() + b * N, len, 1.0);
    }
    return from_vector(m, {B, N}, {dtype});
}

std::vector<OpCase> nystrom_cases() {
    std::vector<OpCase> cases;
    for (auto [mode, name] : {std::pair{ops::LandmarkMode::PerExample, "per_example"},
                              std::pair{ops::LandmarkMode::Reference, "reference"}}) {
        for (auto [init, init_name] : {std::pair{ops::PinvInit::PerMatrix, "per_matrix"},
                                       std::pair{ops::PinvInit::Global, "global"}}) {
            const ops::NystromConfig cfg{64, 6, init, mode};
            cases.push_back({std::string("nystrom ") + name + " " + init_name + " fwd+bwd", 1e-4,
                             [cfg](Device d) {
                                 const int64_t B = 4, H = 2, N = 512, D = 32;
                                 const Tensor mask = ragged_mask(B, N, DType::Float32).to(d);
                                 Tensors in;
                                 for (uint64_t s : {1, 2, 3})
                                     in.push_back(random({B, H, N, D}, s, DType::Float32));
                                 return with_grads(in, d, [&](const Tensors& x) {
                                     return nystrom_attention(x[0], x[1], x[2], mask, cfg);
                                 });
                             }});
        }
    }
    return cases;
}

std::vector<OpCase> core_cases() {
    std::vector<OpCase> cases;
    cases.push_back({"softmax attention fwd+bwd", 1e-5, [](Device d) {
                         const Tensor mask = ragged_mask(4, 300, DType::Float32).to(d);
                         Tensors in;
                         for (uint64_t s : {4, 5, 6})
                             in.push_back(random({4, 2, 300, 32}, s, DType::Float32));
                         return with_grads(in, d, [&](const Tensors& x) {
                             return softmax_attention(x[0], x[1], x[2], mask);
                         });
                     }});
    cases.push_back({"layer norm fwd+bwd", 1e-5, [](Device d) {
                         return with_grads(
                             {random({512, 64}, 7, DType::Float32, -3, 3),
                              random({64}, 8, DType::Float32), random({64}, 9, DType::Float32)},
                             d, [](const Tensors& x) { return layer_norm(x[0], x[1], x[2]); });
                     }});
    cases.push_back({"cross-entropy fwd+bwd", 1e-5, [](Device d) {
                         std::vector<int64_t> t;
                         for (int64_t i = 0; i < 256; ++i)
                             t.push_back((i * 7) % 10);
                         const Tensor targets = from_vector(t, {256}, {DType::Int64}).to(d);
                         return with_grads({random({256, 10}, 10, DType::Float32, -4, 4)}, d,
                                           [&](const Tensors& x) {
                                               return cross_entropy(x[0], targets).view({1});
                                           });
                     }});
    cases.push_back(
        {"conv skip (depthwise, 35 taps) fwd+bwd", 1e-5, [](Device d) {
             return with_grads(
                 {random({4, 2, 512, 32}, 11, DType::Float32), random({2, 35}, 12, DType::Float32)},
                 d, [](const Tensors& x) { return depthwise_conv_seq(x[0], x[1]); });
         }});
    return cases;
}

std::vector<OpCase> gemm_and_optimizer_cases() {
    std::vector<OpCase> cases;
    auto gemm = [](bool tf32) {
        return [tf32](Device d) {
            ops::set_allow_tf32(tf32);
            Tensors out = with_grads(
                {random({8, 256, 192}, 13, DType::Float32), random({192, 320}, 14, DType::Float32)},
                d, [](const Tensors& x) { return matmul(x[0], x[1]); });
            ops::set_allow_tf32(false);
            return out;
        };
    };
    cases.push_back({"GEMM fp32 fwd+bwd", 1e-5, gemm(false)});
    // TF32 keeps 10 mantissa bits: ~1e-3 relative per product
    cases.push_back({"GEMM tf32 fwd+bwd", 5e-3, gemm(true)});
    cases.push_back({"GEMM bf16 inputs, fp32 accumulation", 1e-5, [](Device d) {
                         // the CPU emulates the same rounding of the inputs, so only the
                         // accumulation order differs
                         const Tensor a = random({8, 256, 192}, 15, DType::Float32);
                         const Tensor b = random({192, 320}, 16, DType::Float32);
                         return Tensors{ops::matmul_mixed(a.to(DType::BFloat16).to(d),
                                                          b.to(DType::BFloat16).to(d))};
                     }});
    cases.push_back(
        {"AdamW (fused, 3 steps)", 1e-6, [](Device d) {
             const auto coeffs = kernels::adam_coeffs(1e-3, 0.9, 0.999, 1e-8, 0.01, 3, true);
             Tensor p = random({100000}, 17, DType::Float32).to(d);
             Tensor m = zeros({100000}).to(d), v = zeros({100000}).to(d);
             for (uint64_t step = 0; step < 3; ++step)
                 ops::adam_step(p, random({100000}, 18 + step, DType::Float32).to(d), m, v, coeffs);
             return Tensors{p, m, v};
         }});
    return cases;
}

void run_compare(const std::string& device_name) {
    const Device device = Device::parse(device_name);
    if (device.is_cuda() && cuda_device_count() == 0) {
        throw std::runtime_error("compare-devices: no CUDA device (nothing to compare)");
    }
    std::vector<OpCase> cases = nystrom_cases();
    for (auto* more : {&core_cases, &gemm_and_optimizer_cases}) {
        for (auto& c : more())
            cases.push_back(std::move(c));
    }
    std::printf("%-44s %14s %11s  %s\n", "op", "largest rel.", "tolerance", "result");
    int failed = 0;
    for (const OpCase& c : cases) {
        const double err = largest_relative_error(c.run(device), c.run(Device::cpu()));
        const bool ok = std::isfinite(err) && err <= c.tolerance;
        failed += !ok;
        std::printf("%-44s %14.3e %11.1e  %s\n", c.name.c_str(), err, c.tolerance,
                    ok ? "ok" : "FAIL");
    }
    std::printf("%d of %zu ops within tolerance on %s\n", static_cast<int>(cases.size()) - failed,
                cases.size(), device_name.c_str());
    std::fflush(stdout);
    if (failed) {
        throw std::runtime_error("compare-devices: " + std::to_string(failed) +
                                 " ops beyond their tolerance on " + device_name);
    }
}

}  // namespace

void register_compare_devices_command(CLI::App& app) {
    auto device = std::make_shared<std::string>("cuda");
    auto* c = app.add_subcommand(
        "compare-devices",
        "Run every training op on a device and on the CPU; print the largest relative error");
    c->add_option("--device", *device, "Device to check against the CPU (cuda, cuda:N, cpu)")
        ->capture_default_str();
    c->callback([device] { run_compare(*device); });
}

}  // namespace lm::cli
