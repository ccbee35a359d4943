// Benchmarks behind `landmark bench`: a training step of a config (median step time, tokens/s,
// memory, achieved GFLOP/s against the machine's sgemm peak), and one attention layer's
// forward+backward against sequence length.
#pragma once

#include <string>
#include <vector>

#include "train/config.h"

namespace lm::train {

struct TrainBenchResult {
    int64_t steps = 0;
    double median_step_s = 0, min_step_s = 0;
    double tokens_per_step = 0;  // real tokens
    double padded_tokens_per_step = 0;
    double tokens_per_s = 0;  // real tokens / median step time
    double gemm_gflop_per_step = 0;
    double achieved_gflops = 0;  // GEMM FLOPs / median step time
    double sgemm_peak_gflops = 0;
    int64_t peak_tensor_bytes = 0;
    int64_t peak_rss_bytes = 0;
    int threads = 0;
    std::string device = "cpu";  // where the model ran; peak_tensor_bytes is that device's
};

// Runs `warmup` steps then `steps` timed steps of the config's training (no eval/checkpoints).
TrainBenchResult bench_train(Config cfg, int64_t steps, int64_t warmup);
// Best GFLOP/s of a 2048^3 float32 GEMM through ops::matmul on the current threads.
double measure_sgemm_peak_gflops();

struct AttentionBenchRow {
    std::string type;
    int64_t n = 0;
    double median_s = 0;     // forward + backward of one attention layer
    int64_t peak_bytes = 0;  // tensor memory above what existed before the step
};

struct AttentionBenchOptions {
    std::vector<std::string> types = {"nystrom", "softmax"};
    std::vector<int64_t> seq = {1024, 4096, 16384, 65536};
    int64_t batch = 1, heads = 2, head_dim = 32;
    int64_t reps = 3;
    std::vector<std::string> sets;  // model.attention.* overrides ("landmarks=64")
    Device device = Device::cpu();
};

std::vector<AttentionBenchRow> bench_attention(const AttentionBenchOptions& opts);

std::string format_train_bench(const TrainBenchResult& r);
std::string train_bench_json(const TrainBenchResult& r);
std::string format_attention_bench(const std::vector<AttentionBenchRow>& rows);
std::string attention_bench_csv(const std::vector<AttentionBenchRow>& rows);
std::string attention_bench_svg(const std::vector<AttentionBenchRow>& rows);

}  // namespace lm::train
