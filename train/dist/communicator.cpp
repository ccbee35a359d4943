#include "train/dist/communicator.h"

#include <vector>

#include "train/config.h"
#include "train/dist/backends.h"

namespace lm::train::dist {

void Communicator::allreduce_mean(float* data, int64_t n) {
    std::vector<double> tmp(data, data + n);
    allreduce_sum(tmp.data(), n);
    for (int64_t i = 0; i < n; ++i)
        data[i] = static_cast<float>(tmp[i] / size());
}

bool Communicator::any(bool flag) {
    double v = flag ? 1.0 : 0.0;
    allreduce_sum(&v, 1);
    return v > 0;
}

namespace {

// One process: every collective is the identity.
class LocalCommunicator final : public Communicator {
  public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    const char* name() const override { return "local"; }
    int start_allreduce_sum(float*, int64_t) override { return 0; }
    void wait(int) override {}
    void allreduce_sum(double*, int64_t) override {}
    void broadcast(float*, int64_t, int) override {}
    void barrier() override {}
};

std::unique_ptr<Communicator> g_local;
std::unique_ptr<Communicator> g_mpi;
std::unique_ptr<Communicator> g_gradients;  // NCCL, when one was made

}  // namespace

Communicator& world(const std::string& kind) {
    if (kind != "mpi") {
        if (!g_local) g_local = std::make_unique<LocalCommunicator>();
        return *g_local;
    }
#ifdef LANDMARK_WITH_MPI
    if (!g_mpi) g_mpi = make_mpi_communicator();
    return *g_mpi;
#else
    throw ConfigError(
        "config: run.distributed: mpi, but this build has no MPI (install "
        "libopenmpi-dev and reconfigure), or use run.distributed=none");
#endif
}

bool multi_process() {
    return g_mpi && g_mpi->size() > 1;
}

void abort_all(int code) {
#ifdef LANDMARK_WITH_MPI
    if (multi_process()) mpi_abort(code);
#endif
    (void)code;
}

Communicator& gradient_communicator(Communicator& world, Device device) {
#ifdef LANDMARK_WITH_NCCL
    if (device.is_cuda() && world.size() > 1) {
        if (!g_gradients) g_gradients = make_nccl_communicator(world, device);
        return *g_gradients;
    }
#endif
    (void)device;
    return world;
}

}  // namespace lm::train::dist
