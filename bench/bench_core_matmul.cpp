// Matmul throughput of core (ops::matmul, ops::gemm_into, lm::linear) against raw cblas_sgemm
// with OpenBLAS's own threading, on the GEMM shapes of the LRA Nystromformer: batch 32 x
// n 2048 tokens, model dim 64, FFN 128, 2 heads of 32, 64 landmarks.
//
//   OMP_NUM_THREADS=2 ./bench_core_matmul
//
// Reports GFLOP/s (2 m n k per product) per wall-clock second.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <string>
#include <vector>

#include "core/autograd/functional.h"
#include "core/base/parallel.h"
#include "core/ops/matmul.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace lm {
namespace {

// C[b] = op(A[b]) @ op(B[b]): row-major [m, k] and [k, n] after the optional transposes.
struct Shape3 {
    std::string name;
    int64_t batch, m, n, k;
    bool trans_a = false, trans_b = false;
};

const std::vector<Shape3>& shapes() {
    static const std::vector<Shape3> s = {
        {"qkv_65536x64x192", 1, 65536, 192, 64},
        {"proj_65536x64x64", 1, 65536, 64, 64},
        {"ffn1_65536x64x128", 1, 65536, 128, 64},
        {"ffn2_65536x128x64", 1, 65536, 64, 128},
        {"qkT_64x2048x32x64", 64, 2048, 64, 32, false, true},  // Q K~^T per head
        {"bv_64x64x2048x32", 64, 64, 32, 2048},                // B V per head
        {"pinv_64x64x64x64", 64, 64, 64, 64},                  // pseudo-inverse iterations
        {"wgrad_64x65536x64", 1, 64, 64, 65536, true, false},  // x^T dy
    };
    return s;
}

// Operands stored so that the product is op(A) @ op(B): A [batch, m, k] or, transposed,
// [batch, k, m] used through .mT(); likewise B.
struct Operands {
    Tensor a, b;  // the views to multiply
    Tensor c;     // preallocated [batch, m, n]
};

Operands make_operands(const Shape3& s) {
    Generator gen(1);
    Operands o;
    const Tensor a =
        randn(s.trans_a ? Shape{s.batch, s.k, s.m} : Shape{s.batch, s.m, s.k}, {}, gen);
    const Tensor b =
        randn(s.trans_b ? Shape{s.batch, s.n, s.k} : Shape{s.batch, s.k, s.n}, {}, gen);
    o.a = s.trans_a ? a.mT() : a;
    o.b = s.trans_b ? b.mT() : b;
    if (s.batch == 1) {
        o.a = o.a.squeeze(0);
        o.b = o.b.squeeze(0);
    }
    o.c = empty({s.batch, s.m, s.n});
    return o;
}

void set_rate(benchmark::State& state, const Shape3& s) {
    const double flops = 2.0 * s.batch * s.m * s.n * s.k;
    state.counters["GFLOP/s"] =
        benchmark::Counter(flops * 1e-9 * state.iterations(), benchmark::Counter::kIsRate);
}

// Raw OpenBLAS with its own threads: one cblas_sgemm per batch item.
void bm_raw_sgemm(benchmark::State& state, const Shape3& s) {
    Operands o = make_operands(s);
    const Tensor a = s.trans_a ? o.a.mT().contiguous() : o.a.contiguous();  // stored layouts
    const Tensor b = s.trans_b ? o.b.mT().contiguous() : o.b.contiguous();
    const float* pa = a.data<float>();
    const float* pb = b.data<float>();
    float* pc = o.c.data<float>();
    const int threads = num_threads();
    openblas_set_num_threads(threads);
    const int64_t lda = s.trans_a ? s.m : s.k, ldb = s.trans_b ? s.k : s.n;
    for (auto _ : state) {
        for (int64_t i = 0; i < s.batch; ++i) {
            cblas_sgemm(CblasRowMajor, s.trans_a ? CblasTrans : CblasNoTrans,
                        s.trans_b ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.0f,
                        pa + i * s.m * s.k, lda, pb + i * s.k * s.n, ldb, 0.0f, pc + i * s.m * s.n,
                        s.n);
        }
        benchmark::ClobberMemory();
    }
    set_num_threads(threads);  // back to core's setting (OpenBLAS single-threaded)
    set_rate(state, s);
}

void bm_ops_matmul(benchmark::State& state, const Shape3& s) {
    Operands o = make_operands(s);
    for (auto _ : state) {
        Tensor c = ops::matmul(o.a, o.b);
        benchmark::DoNotOptimize(c.raw_data());
    }
    set_rate(state, s);
}

void bm_gemm_into(benchmark::State& state, const Shape3& s) {
    Operands o = make_operands(s);
    const Tensor a3 = o.a.dim() == 2 ? o.a.unsqueeze(0) : o.a;
    const Tensor b3 = o.b.dim() == 2 ? o.b.unsqueeze(0) : o.b;
    for (auto _ : state) {
        ops::gemm_into(o.c, a3, b3);
        benchmark::DoNotOptimize(o.c.raw_data());
    }
    set_rate(state, s);
}

// lm::linear: x [m, k] @ W[n, k]^T, the layout of a Linear layer's weight.
void bm_linear(benchmark::State& state, const Shape3& s) {
    Generator gen(2);
    const Tensor x = randn({s.m, s.k}, {}, gen), w = randn({s.n, s.k}, {}, gen);
    NoGradGuard no_grad;
    for (auto _ : state) {
        Tensor y = linear(x, w);
        benchmark::DoNotOptimize(y.raw_data());
    }
    set_rate(state, s);
}

void register_all() {
    for (const Shape3& s : shapes()) {
        auto reg = [&](const char* what, void (*fn)(benchmark::State&, const Shape3&)) {
            benchmark::RegisterBenchmark((s.name + "/" + what).c_str(), fn, s)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->MinTime(0.5);
        };
        reg("raw_sgemm", bm_raw_sgemm);
        reg("ops_matmul", bm_ops_matmul);
        reg("gemm_into", bm_gemm_into);
        if (s.batch == 1 && !s.trans_a && !s.trans_b) reg("linear", bm_linear);
    }
}

}  // namespace
}  // namespace lm

int main(int argc, char** argv) {
    lm::set_num_threads(lm::num_threads());  // OMP_NUM_THREADS, or all cores
    benchmark::AddCustomContext("lm_threads", std::to_string(lm::num_threads()));
    lm::register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
