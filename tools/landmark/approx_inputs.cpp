#include "tools/landmark/approx_inputs.h"

#include <filesystem>
#include <numeric>

#include "core/autograd/functional.h"
#include "core/tensor/npy.h"
#include "data/batch.h"
#include "tools/landmark/commands.h"
#include "train/batch_tensors.h"
#include "train/experiment.h"
#include "train/inference.h"

namespace lm::cli {

ApproxInputs load_npy_inputs(const std::string& q,
                             const std::string& k,
                             const std::string& v,
                             const std::string& mask,
                             DType dtype) {
    for (const std::string& f : {q, k, v}) {
        if (f.empty() || !std::filesystem::exists(f)) {
            throw UsageError("approx: --q, --k and --v must name .npy files ('" + f + "')");
        }
    }
    ApproxInputs in;
    in.q = load_npy(q).to(dtype);
    in.k = load_npy(k).to(dtype);
    in.v = load_npy(v).to(dtype);
    LM_CHECK(in.q.dim() == 4 && in.k.shape() == in.q.shape() && in.v.dim() == 4 &&
                 in.v.size(2) == in.q.size(2),
             "approx: q and k must be [batch, heads, seq, head_dim] of one shape and v [.., seq, "
             ".]; got ",
             in.q.shape().str(), ", ", in.k.shape().str(), ", ", in.v.shape().str());
    in.mask = mask.empty() ? ones({in.q.size(0), in.q.size(2)}, {dtype}) : load_npy(mask).to(dtype);
    LM_CHECK(in.mask.shape() == Shape({in.q.size(0), in.q.size(2)}), "approx: mask must be [",
             in.q.size(0), ", ", in.q.size(2), "], got ", in.mask.shape().str());
    in.source = "npy " + q;
    return in;
}

ApproxInputs checkpoint_inputs(const std::string& run_dir,
                               const std::string& task,
                               int64_t layer,
                               int64_t examples,
                               DType dtype) {
    train::LoadedRun run = train::load_run(run_dir);
    if (!task.empty() && task != run.cfg.task.name) {
        throw UsageError("approx: the run in " + run_dir + " was trained on '" + run.cfg.task.name +
                         "', not '" + task + "'");
    }
    const auto& blocks = run.model->encoder().blocks();
    if (layer < 0 || layer >= static_cast<int64_t>(blocks.size())) {
        throw UsageError("approx: --layer must be in [0, " + std::to_string(blocks.size()) + ")");
    }
    auto data_task = data::make_task(run.cfg.task);
    const auto& valid = data_task->examples(data::Split::Validation);
    const int64_t n = std::min<int64_t>(examples, static_cast<int64_t>(valid.size()));
    if (n <= 0) throw UsageError("approx: the task has no validation examples");
    data::BatchOptions opts = train::eval_batch_options(run.cfg, data_task->info());
    opts.batch_size = n;
    opts.prefetch = 0;
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    const data::HostBatch hb = data::make_batch(valid, idx, opts, data::batch_shape(valid, opts));
    const train::DeviceBatch batch = train::to_device(hb, run.device);
    NoGradGuard no_grad;
    const auto xs = run.model->encoder().attention_inputs(batch.inputs.ids, batch.inputs.mask);
    ApproxInputs in;
    blocks[layer]->attention().project(xs[layer], &in.q, &in.k, &in.v);
    in.q = in.q.to(Device::cpu()).to(dtype);
    in.k = in.k.to(Device::cpu()).to(dtype);
    in.v = in.v.to(Device::cpu()).to(dtype);
    in.mask = batch.inputs.mask.to(Device::cpu()).to(dtype);
    in.source = run_dir + " (" + run.cfg.task.name + ", layer " + std::to_string(layer) + ", " +
                std::to_string(n) + " validation examples)";
    return in;
}

}  // namespace lm::cli
