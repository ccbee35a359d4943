#include "train/dist/shard.h"

#include "core/tensor/factory.h"

namespace lm::train::dist {

RowRange shard_rows(int64_t batch, int rank, int size) {
    return {batch * rank / size, batch * (rank + 1) / size};
}

namespace {

template <class T>
std::vector<T> rows_of(const std::vector<T>& v, int64_t width, RowRange r) {
    if (v.empty()) return {};
    return std::vector<T>(v.begin() + r.begin * width, v.begin() + r.end * width);
}

int64_t count_real(const std::vector<float>& mask) {
    double n = 0;
    for (float m : mask)
        n += m;
    return static_cast<int64_t>(n);
}

}  // namespace

data::HostBatch shard_batch(const data::HostBatch& hb, int rank, int size) {
    const RowRange r = shard_rows(hb.batch, rank, size);
    data::HostBatch out;
    out.batch = r.end - r.begin;
    out.length = hb.length;
    out.length2 = hb.length2;
    out.ids = rows_of(hb.ids, hb.length, r);
    out.mask = rows_of(hb.mask, hb.length, r);
    out.ids2 = rows_of(hb.ids2, hb.length2, r);
    out.mask2 = rows_of(hb.mask2, hb.length2, r);
    out.labels = rows_of(hb.labels, 1, r);
    out.indices = rows_of(hb.indices, 1, r);
    out.real_tokens = count_real(out.mask) + count_real(out.mask2);
    return out;
}

void check_batch_divides(const Config& cfg, int size) {
    const int64_t per_rank = cfg.train.grad_accum * size;
    if (cfg.train.batch_size % per_rank == 0) return;
    throw ConfigError("config: train.batch_size: " + std::to_string(cfg.train.batch_size) +
                      " does not split between " + std::to_string(size) + " ranks" +
                      (cfg.train.grad_accum > 1
                           ? " x train.grad_accum " + std::to_string(cfg.train.grad_accum)
                           : std::string()) +
                      "; use a multiple of " + std::to_string(per_rank) + " or another rank count");
}

std::string device_for_rank(const std::string& spec, int local_rank) {
    const int gpus = cuda_device_count();
    if ((spec != "auto" && spec != "cuda") || gpus == 0) return spec;
    return "cuda:" + std::to_string(local_rank % gpus);
}

void broadcast_parameters(Communicator& comm, const std::vector<Tensor>& params) {
    if (comm.size() == 1) return;
    int64_t total = 0;
    for (const Tensor& p : params)
        total += p.numel();
    Tensor flat = empty({total}, DType::Float32, Device::cpu());
    int64_t off = 0;
    for (const Tensor& p : params) {
        flat.narrow(0, off, p.numel()).copy_(p.detach().to(Device::cpu()).reshape({p.numel()}));
        off += p.numel();
    }
    comm.broadcast(flat.data<float>(), total, 0);
    off = 0;
    for (const Tensor& p : params) {
        const Tensor src = flat.narrow(0, off, p.numel()).view(p.shape());
        p.detach().copy_(p.device().is_cpu() ? src : src.to(p.device()));
        off += p.numel();
    }
}

}  // namespace lm::train::dist
