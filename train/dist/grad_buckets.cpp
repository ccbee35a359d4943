#include "train/dist/grad_buckets.h"

#include "core/base/check.h"
#include "core/tensor/factory.h"

namespace lm::train::dist {

namespace {

// `t` on `device` (itself when it is already there).
Tensor on(const Tensor& t, Device device) {
    return t.device() == device ? t : t.to(device);
}

}  // namespace

GradBuckets::GradBuckets(Communicator& comm, std::vector<Tensor> params, int64_t bucket_bytes)
    : comm_(comm), params_(std::move(params)), bucket_of_(params_.size(), -1) {
    Bucket cur;
    for (int i = static_cast<int>(params_.size()) - 1; i >= 0; --i) {
        const Tensor& p = params_[i];
        LM_CHECK(p.dtype() == DType::Float32, "data-parallel training needs float32 parameters; ",
                 "parameter ", i, " is ", dtype_name(p.dtype()));
        cur.params.push_back(i);
        cur.numel += p.numel();
        index_of_[&p.impl()] = i;
        if (cur.numel * 4 >= bucket_bytes || i == 0) {
            buckets_.push_back(std::move(cur));
            cur = Bucket{};
        }
    }
    const Device buffer =
        comm_.buffer_device(params_.empty() ? Device::cpu() : params_[0].device());
    for (size_t b = 0; b < buckets_.size(); ++b) {
        Bucket& bk = buckets_[b];
        bk.pending = static_cast<int>(bk.params.size());
        bk.flat =
            empty({bk.numel + static_cast<int64_t>(bk.params.size())}, DType::Float32, buffer);
        for (int i : bk.params)
            bucket_of_[i] = static_cast<int>(b);
    }
}

void GradBuckets::on_grad_ready(const TensorImpl& leaf) {
    const auto it = index_of_.find(&leaf);
    if (it == index_of_.end()) return;  // not one of ours (an input that requires grad)
    Bucket& b = buckets_[bucket_of_[it->second]];
    if (!b.started) --b.pending;
    start_ready_buckets();
    comm_.poll();
}

void GradBuckets::start_ready_buckets() {
    while (next_ < buckets_.size() && buckets_[next_].pending == 0)
        start(buckets_[next_++]);
}

void GradBuckets::start(Bucket& b) {
    int64_t off = 0;
    const int64_t flags = b.numel;
    for (size_t k = 0; k < b.params.size(); ++k) {
        const Tensor& p = params_[b.params[k]];
        const Tensor g = p.grad();
        const int64_t n = p.numel();
        Tensor seg = b.flat.narrow(0, off, n);
        if (g.defined()) {
            seg.copy_(on(g, b.flat.device()).reshape({n}));
        } else {
            seg.zero_();
        }
        b.flat.narrow(0, flags + static_cast<int64_t>(k), 1).fill_(g.defined() ? 1.0 : 0.0);
        off += n;
    }
    b.started = true;
    b.handle = comm_.start_allreduce_sum(b.flat.data<float>(), b.flat.numel());
}

void GradBuckets::unpack(Bucket& b) {
    const Tensor host_flags =
        on(b.flat.narrow(0, b.numel, static_cast<int64_t>(b.params.size())), Device::cpu())
            .contiguous();
    int64_t off = 0;
    for (size_t k = 0; k < b.params.size(); ++k) {
        const Tensor& p = params_[b.params[k]];
        const int64_t n = p.numel();
        if (host_flags.data<float>()[k] > 0) {
            Tensor g = p.grad();
            if (!g.defined()) {
                g = zeros(p.shape(), {DType::Float32, p.device()});
                p.set_grad(g);
            }
            g.copy_(on(b.flat.narrow(0, off, n), p.device()).view(p.shape()));
        }
        off += n;
    }
}

void GradBuckets::finish() {
    for (Bucket& b : buckets_)
        b.pending = 0;  // gradients that never came are zeros
    start_ready_buckets();
    for (Bucket& b : buckets_) {
        comm_.wait(b.handle);
        unpack(b);
        b.started = false;
        b.handle = -1;
        b.pending = static_cast<int>(b.params.size());
    }
    next_ = 0;
}

}  // namespace lm::train::dist
