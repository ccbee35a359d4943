#include "train/report/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/autograd/functional.h"
#include "core/base/parallel.h"
#include "core/ops/matmul.h"
#include "core/tensor/allocator.h"
#include "data/batch_stream.h"
#include "layers/attention/multi_head.h"
#include "train/batch_tensors.h"
#include "train/experiment.h"
#include "train/report/metrics.h"
#include "train/report/svg_plot.h"

namespace lm::train {

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

double measure_sgemm_peak_gflops() {
    NoGradGuard no_grad;
    const int64_t n = 2048;
    Generator gen(1);
    const Tensor a = rand({n, n}, {}, gen), b = rand({n, n}, {}, gen);
    double best = 0;
    for (int rep = 0; rep < 3; ++rep) {
        const auto t0 = Clock::now();
        const Tensor c = ops::matmul(a, b);
        best = std::max(best, 2.0 * n * n * n / seconds_since(t0) / 1e9);
    }
    return best;
}

TrainBenchResult bench_train(Config cfg, int64_t steps, int64_t warmup) {
    Experiment ex = build_experiment(std::move(cfg));
    auto opt = make_optimizer(ex.cfg.optimizer, ex.model->named_parameters());
    data::BatchStream stream(ex.task->examples(data::Split::Train),
                             train_batch_options(ex.cfg, ex.info), true);
    TrainBenchResult r;
    r.threads = num_threads();
    std::vector<double> times;
    Allocator& memory = allocator_for(ex.device);
    for (int64_t s = 0; s < warmup + steps; ++s) {
        if (s == warmup) memory.reset_peak();
        const int64_t flops0 = ops::gemm_flops_total();
        const auto t0 = Clock::now();
        double tokens = 0, padded = 0;
        for (int64_t a = 0; a < ex.cfg.train.grad_accum; ++a) {
            const data::HostBatch hb = stream.next();
            const DeviceBatch db = to_device(hb, ex.device);
            const Tensor loss = cross_entropy(ex.model->forward(db.inputs), db.labels);
            (loss * (1.0 / static_cast<double>(ex.cfg.train.grad_accum))).backward();
            tokens += static_cast<double>(hb.real_tokens);
            padded += static_cast<double>(hb.batch * (hb.length + hb.length2));
        }
        opt->step();
        opt->zero_grad();
        synchronize(ex.device);  // a GPU step ends when its queued work does
        if (s < warmup) continue;
        times.push_back(seconds_since(t0));
        r.tokens_per_step = tokens;
        r.padded_tokens_per_step = padded;
        r.gemm_gflop_per_step = static_cast<double>(ops::gemm_flops_total() - flops0) / 1e9;
    }
    r.steps = steps;
    r.median_step_s = median(times);
    r.min_step_s = times.empty() ? 0 : *std::min_element(times.begin(), times.end());
    r.tokens_per_s = r.median_step_s > 0 ? r.tokens_per_step / r.median_step_s : 0;
    r.achieved_gflops = r.median_step_s > 0 ? r.gemm_gflop_per_step / r.median_step_s : 0;
    r.peak_tensor_bytes = memory.stats().peak_bytes;
    r.peak_rss_bytes = peak_rss_bytes();
    r.device = ex.device.str();
    r.sgemm_peak_gflops = ex.device.is_cpu() ? measure_sgemm_peak_gflops() : 0.0;
    return r;
}

namespace {

// Forward + backward of one multi-head attention layer; returns {median seconds, peak bytes}.
std::pair<double, int64_t> time_attention(nn::MultiHeadAttention& layer,
                                          const Tensor& x,
                                          const Tensor& mask,
                                          int64_t reps) {
    std::vector<double> times;
    int64_t peak = 0;
    Allocator& memory = allocator_for(x.device());
    for (int64_t r = 0; r < reps; ++r) {
        synchronize(x.device());
        const int64_t base = memory.stats().live_bytes;
        memory.reset_peak();
        const auto t0 = Clock::now();
        sum(layer.forward(x, mask)).backward();
        synchronize(x.device());
        times.push_back(seconds_since(t0));
        peak = std::max(peak, memory.stats().peak_bytes - base);
        layer.zero_grad();
    }
    return {median(times), peak};
}

}  // namespace

std::vector<AttentionBenchRow> bench_attention(const AttentionBenchOptions& o) {
    std::vector<AttentionBenchRow> rows;
    for (const auto& type : o.types) {
        Config cfg;
        cfg.model.encoder.attention.type = type;
        for (const auto& s : o.sets) {
            apply_override(cfg, s.rfind("model.attention.", 0) == 0 ? s : "model.attention." + s);
        }
        for (int64_t n : o.seq) {
            Generator init(0), drop(1);
            const int64_t dim = o.heads * o.head_dim;
            nn::MultiHeadAttention layer(dim, o.heads, o.head_dim, cfg.model.encoder.attention, n,
                                         init, drop);
            layer.eval();  // no dropout: time the attention itself
            layer.to(o.device);
            Tensor x = randn({o.batch, n, dim}, {}, init).to(o.device);
            x.requires_grad_();
            const Tensor mask = ones({o.batch, n}).to(o.device);
            AttentionBenchRow row{type, n};
            const auto [secs, bytes] = time_attention(layer, x, mask, o.reps);
            row.median_s = secs;
            row.peak_bytes = bytes;
            rows.push_back(row);
            std::fprintf(stderr, "%-18s n=%-7lld %9.4f s  %10.1f MiB\n", type.c_str(),
                         static_cast<long long>(n), secs, bytes / 1048576.0);
        }
    }
    return rows;
}

std::string format_train_bench(const TrainBenchResult& r) {
    char peak[128] = "no CPU sgemm peak measured on this device";
    if (r.sgemm_peak_gflops > 0) {
        std::snprintf(peak, sizeof peak, "%.0f%% of the measured sgemm peak %.1f GFLOP/s",
                      100.0 * r.achieved_gflops / r.sgemm_peak_gflops, r.sgemm_peak_gflops);
    }
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "device                  %s\n"
                  "threads                 %d\n"
                  "timed steps             %lld\n"
                  "median step             %.4f s (min %.4f s)\n"
                  "tokens per step         %.0f real, %.0f padded\n"
                  "throughput              %.0f real tokens/s, %.0f padded tokens/s\n"
                  "GEMM work per step      %.2f GFLOP\n"
                  "achieved GEMM GFLOP/s   %.1f (%s)\n"
                  "peak tensor memory      %.1f MiB (allocator of the device)\n"
                  "peak RSS                %.1f MiB\n",
                  r.device.c_str(), r.threads, static_cast<long long>(r.steps), r.median_step_s,
                  r.min_step_s, r.tokens_per_step, r.padded_tokens_per_step, r.tokens_per_s,
                  r.padded_tokens_per_step / std::max(r.median_step_s, 1e-12),
                  r.gemm_gflop_per_step, r.achieved_gflops, peak, r.peak_tensor_bytes / 1048576.0,
                  r.peak_rss_bytes / 1048576.0);
    return buf;
}

std::string train_bench_json(const TrainBenchResult& r) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"system\": \"landmark\", \"device\": \"%s\", \"threads\": %d, "
                  "\"median_step_s\": %.6f, "
                  "\"tokens_per_s\": %.1f, \"real_tokens_per_s\": %.1f, \"peak_rss_mib\": %.1f, "
                  "\"peak_tensor_mib\": %.1f, \"gemm_gflops\": %.2f, \"sgemm_peak_gflops\": %.2f}",
                  r.device.c_str(), r.threads, r.median_step_s,
                  r.padded_tokens_per_step / std::max(r.median_step_s, 1e-12), r.tokens_per_s,
                  r.peak_rss_bytes / 1048576.0, r.peak_tensor_bytes / 1048576.0, r.achieved_gflops,
                  r.sgemm_peak_gflops);
    return buf;
}

std::string format_attention_bench(const std::vector<AttentionBenchRow>& rows) {
    std::string out = "type                      n     fwd+bwd s    peak MiB\n";
    char buf[256];
    for (const auto& r : rows) {
        std::snprintf(buf, sizeof buf, "%-18s %8lld  %11.4f  %10.1f\n", r.type.c_str(),
                      static_cast<long long>(r.n), r.median_s, r.peak_bytes / 1048576.0);
        out += buf;
    }
    return out;
}

std::string attention_bench_csv(const std::vector<AttentionBenchRow>& rows) {
    std::string out = "type,n,seconds,peak_bytes\n";
    for (const auto& r : rows) {
        out += r.type + "," + std::to_string(r.n) + "," + std::to_string(r.median_s) + "," +
               std::to_string(r.peak_bytes) + "\n";
    }
    return out;
}

std::string attention_bench_svg(const std::vector<AttentionBenchRow>& rows) {
    std::vector<Series> time, mem;
    for (const auto& r : rows) {
        auto find = [&](std::vector<Series>& v) -> Series& {
            for (auto& s : v) {
                if (s.name == r.type) return s;
            }
            v.push_back({r.type, {}, {}});
            return v.back();
        };
        find(time).x.push_back(static_cast<double>(r.n));
        find(time).y.push_back(r.median_s);
        find(mem).x.push_back(static_cast<double>(r.n));
        find(mem).y.push_back(r.peak_bytes / 1048576.0);
    }
    const PlotOptions pt{"forward+backward time", "sequence length n", "seconds", true, true};
    const PlotOptions pm{"peak tensor memory", "sequence length n", "MiB", true, true};
    return side_by_side_svg({line_plot_svg(time, pt), line_plot_svg(mem, pm)}, 760, 440);
}

}  // namespace lm::train
