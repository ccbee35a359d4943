// cuDNN launchers of the depthwise sequence convolution (the Nystrom skip): forward, data and
// filter gradients as one grouped 2-D convolution each, described by conv_seq_plan.h's ConvPlan
// (checked against the CPU conv on the host). The algorithm is cuDNN's first heuristic choice
// that is deterministic and fits the workspace limit, cached per shape. This is the only
// translation unit besides context.cpp that includes cudnn.h.
#include <cudnn.h>

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/ops/conv_seq_backend.h"
#include "core/ops/conv_seq_plan.h"
#include "core/ops/elementwise_backend.h"
#include "core/ops/matmul_mixed.h"

namespace lm::cuda {

namespace {

enum class Pass { Forward, BackwardData, BackwardFilter };

// The descriptors of one plan: x (= dx) and y (= dy) NCHW, the filter, the convolution.
class ConvDescriptors {
  public:
    ConvDescriptors(const ConvPlan& p, DType dtype) {
        const cudnnDataType_t t = dtype == DType::Float64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
        LM_CUDNN_CHECK(cudnnCreateTensorDescriptor(&x));
        LM_CUDNN_CHECK(cudnnCreateTensorDescriptor(&y));
        LM_CUDNN_CHECK(cudnnCreateFilterDescriptor(&w));
        LM_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&conv));
        LM_CUDNN_CHECK(
            cudnnSetTensor4dDescriptor(x, CUDNN_TENSOR_NCHW, t, i(p.n), i(p.c), i(p.h), i(p.w)));
        LM_CUDNN_CHECK(cudnnSetTensor4dDescriptor(y, CUDNN_TENSOR_NCHW, t, i(p.n), i(p.k_out),
                                                  i(p.out_h), i(p.out_w)));
        LM_CUDNN_CHECK(cudnnSetFilter4dDescriptor(w, t, CUDNN_TENSOR_NCHW, i(p.k_out), i(p.k_in),
                                                  i(p.kh), i(p.kw)));
        LM_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(
            conv, i(p.pad_h), i(p.pad_w), i(p.stride_h), i(p.stride_w), i(p.dil_h), i(p.dil_w),
            p.cross_correlation ? CUDNN_CROSS_CORRELATION : CUDNN_CONVOLUTION, t));
        LM_CUDNN_CHECK(cudnnSetConvolutionGroupCount(conv, i(p.groups)));
        // FMA math keeps float32 exact to fp32 (cuDNN's default allows TF32 on Ampere+).
        LM_CUDNN_CHECK(cudnnSetConvolutionMathType(
            conv, ops::allow_tf32() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH));
        int on = 0, oc = 0, oh = 0, ow = 0;
        LM_CUDNN_CHECK(cudnnGetConvolution2dForwardOutputDim(conv, x, w, &on, &oc, &oh, &ow));
        LM_ASSERT(on == p.n && oc == p.k_out && oh == p.out_h && ow == p.out_w,
                  "cuDNN disagrees with the ConvPlan's output size");
    }
    ~ConvDescriptors() {
        cudnnDestroyConvolutionDescriptor(conv);
        cudnnDestroyFilterDescriptor(w);
        cudnnDestroyTensorDescriptor(y);
        cudnnDestroyTensorDescriptor(x);
    }
    ConvDescriptors(const ConvDescriptors&) = delete;
    ConvDescriptors& operator=(const ConvDescriptors&) = delete;

    cudnnTensorDescriptor_t x = nullptr, y = nullptr;
    cudnnFilterDescriptor_t w = nullptr;
    cudnnConvolutionDescriptor_t conv = nullptr;

  private:
    static int i(int64_t v) { return static_cast<int>(v); }
};

template <class Perf>
std::vector<ConvAlgoCandidate> candidates(const Perf* perf, int count) {
    std::vector<ConvAlgoCandidate> c;
    for (int k = 0; k < count; ++k) {
        c.push_back({static_cast<int>(perf[k].algo), perf[k].status == CUDNN_STATUS_SUCCESS,
                     perf[k].memory, perf[k].determinism == CUDNN_DETERMINISTIC});
    }
    return c;
}

// cuDNN's heuristic ranking for this pass, reduced to candidates.
std::vector<ConvAlgoCandidate> heuristics(cudnnHandle_t h, const ConvDescriptors& d, Pass pass) {
    int n = 0;
    if (pass == Pass::Forward) {
        cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
        LM_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(
            h, d.x, d.w, d.conv, d.y, CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &n, perf));
        return candidates(perf, n);
    }
    if (pass == Pass::BackwardData) {
        cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
        LM_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithm_v7(
            h, d.w, d.y, d.conv, d.x, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &n, perf));
        return candidates(perf, n);
    }
    cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
    LM_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
        h, d.x, d.y, d.conv, d.w, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &n, perf));
    return candidates(perf, n);
}

struct AlgoChoice {
    int algo = -1;
    size_t workspace = 0;
};

// The cached algorithm of (device, pass, dtype, shape).
AlgoChoice algo_for(int device,
                    cudnnHandle_t h,
                    const ConvDescriptors& d,
                    Pass pass,
                    const ConvPlan& p,
                    DType dtype) {
    using Key = std::tuple<int, int, int, int64_t, int64_t, int64_t, int64_t, int64_t, bool>;
    static std::mutex mu;
    static auto* cache = new std::map<Key, AlgoChoice>();
    const Key key{device, static_cast<int>(pass), static_cast<int>(dtype), p.n, p.c, p.h, p.w,
                  p.kh,   ops::allow_tf32()};
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache->find(key); it != cache->end()) return it->second;
    const auto cands = heuristics(h, d, pass);
    AlgoChoice choice;
    choice.algo = choose_conv_algo(cands, kConvWorkspaceLimit, true);
    LM_CHECK(choice.algo >= 0,
             "depthwise_conv_seq on CUDA: cuDNN offers no deterministic "
             "algorithm within the workspace limit for this shape");
    for (const ConvAlgoCandidate& c : cands) {
        if (c.algo == choice.algo) choice.workspace = c.workspace;
    }
    cache->emplace(key, choice);
    return choice;
}

// Runs one pass: Forward y = conv(x, w); BackwardData dx from (dy, w); BackwardFilter dw from
// (x, dy). `a` and `b` are the pass's inputs in that order, `out` its output.
void run_pass(Pass pass, const Tensor& out, const Tensor& a, const Tensor& b, const ConvPlan& p) {
    const DType dtype = out.dtype();
    LM_CHECK(dtype == DType::Float32 || dtype == DType::Float64,
             "depthwise_conv_seq on CUDA: expected float32 or float64, got ", dtype_name(dtype));
    const DeviceScope scope(out.device());
    auto h = static_cast<cudnnHandle_t>(cudnn_handle(scope.index()));
    const ConvDescriptors d(p, dtype);
    const AlgoChoice algo = algo_for(scope.index(), h, d, pass, p, dtype);
    const Tensor ws =
        empty({static_cast<int64_t>((algo.workspace + 7) / 8)}, DType::Int64, out.device());
    const double one64 = 1.0, zero64 = 0.0;
    const float one32 = 1.0f, zero32 = 0.0f;
    const void* one = dtype == DType::Float64 ? static_cast<const void*>(&one64) : &one32;
    const void* zero = dtype == DType::Float64 ? static_cast<const void*>(&zero64) : &zero32;
    void* wsp = algo.workspace > 0 ? ws.raw_data() : nullptr;
    if (pass == Pass::Forward) {
        LM_CUDNN_CHECK(cudnnConvolutionForward(h, one, d.x, a.raw_data(), d.w, b.raw_data(), d.conv,
                                               static_cast<cudnnConvolutionFwdAlgo_t>(algo.algo),
                                               wsp, algo.workspace, zero, d.y, out.raw_data()));
    } else if (pass == Pass::BackwardData) {
        LM_CUDNN_CHECK(
            cudnnConvolutionBackwardData(h, one, d.w, b.raw_data(), d.y, a.raw_data(), d.conv,
                                         static_cast<cudnnConvolutionBwdDataAlgo_t>(algo.algo), wsp,
                                         algo.workspace, zero, d.x, out.raw_data()));
    } else {
        LM_CUDNN_CHECK(
            cudnnConvolutionBackwardFilter(h, one, d.x, a.raw_data(), d.y, b.raw_data(), d.conv,
                                           static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo.algo),
                                           wsp, algo.workspace, zero, d.w, out.raw_data()));
    }
}

ConvPlan plan_of(const Tensor& x4, int64_t K) {
    return conv_seq_plan(x4.size(0), x4.size(1), x4.size(2), x4.size(3), K);
}

}  // namespace

void conv_seq(const Tensor& y, const Tensor& x, const Tensor& w) {
    if (x.numel() == 0) return;
    run_pass(Pass::Forward, y, x, w, plan_of(x, w.size(1)));
}

void conv_seq_backward_input(const Tensor& dx, const Tensor& dy, const Tensor& w) {
    if (dy.numel() == 0) return;
    run_pass(Pass::BackwardData, dx, dy, w, plan_of(dy, w.size(1)));
}

void conv_seq_backward_weight(const Tensor& dw, const Tensor& x, const Tensor& dy) {
    if (x.numel() == 0) {
        fill(dw, 0.0);
        return;
    }
    run_pass(Pass::BackwardFilter, dw, x, dy, plan_of(x, dw.size(1)));
}

}  // namespace lm::cuda
