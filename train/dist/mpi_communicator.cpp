// The MPI backend: MPI_COMM_WORLD, non-blocking allreduce for gradient buckets.
// The C API only: Open MPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <climits>
#include <vector>

#include "core/base/check.h"
#include "train/dist/backends.h"

namespace lm::train::dist {

namespace {

void check_mpi(int rc, const char* what) {
    if (rc == MPI_SUCCESS) return;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    LM_CHECK(false, what, " failed: ", std::string(msg, len));
}

int count_of(int64_t n) {
    LM_CHECK(n >= 0 && n <= INT_MAX, "MPI message of ", n, " elements is too large");
    return static_cast<int>(n);
}

class MpiCommunicator final : public Communicator {
  public:
    MpiCommunicator() {
        int initialized = 0;
        MPI_Initialized(&initialized);
        if (!initialized) {
            // Only the training thread calls MPI; the data prefetch thread never does.
            int provided = 0;
            check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided),
                      "MPI_Init");
            owns_init_ = true;
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        MPI_Comm node;
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
        MPI_Comm_rank(node, &local_rank_);
        MPI_Comm_free(&node);
    }
    ~MpiCommunicator() override {
        for (MPI_Request& r : requests_) {
            if (r != MPI_REQUEST_NULL) MPI_Wait(&r, MPI_STATUS_IGNORE);
        }
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (owns_init_ && !finalized) MPI_Finalize();
    }

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    int local_rank() const override { return local_rank_; }
    const char* name() const override { return "mpi"; }

    int start_allreduce_sum(float* data, int64_t n) override {
        MPI_Request req;
        check_mpi(MPI_Iallreduce(MPI_IN_PLACE, data, count_of(n), MPI_FLOAT, MPI_SUM,
                                 MPI_COMM_WORLD, &req),
                  "MPI_Iallreduce");
        requests_.push_back(req);
        return static_cast<int>(requests_.size()) - 1;
    }
    void wait(int handle) override {
        MPI_Request& r = requests_.at(handle);
        if (r != MPI_REQUEST_NULL) check_mpi(MPI_Wait(&r, MPI_STATUS_IGNORE), "MPI_Wait");
        for (const MPI_Request& q : requests_) {
            if (q != MPI_REQUEST_NULL) return;
        }
        requests_.clear();  // all done: the next step's handles start at 0 again
    }
    void poll() override {
        int done = 0;
        if (!requests_.empty()) {
            MPI_Testall(static_cast<int>(requests_.size()), requests_.data(), &done,
                        MPI_STATUSES_IGNORE);
        }
    }

    void allreduce_sum(double* data, int64_t n) override {
        check_mpi(
            MPI_Allreduce(MPI_IN_PLACE, data, count_of(n), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
            "MPI_Allreduce");
    }
    void broadcast(float* data, int64_t n, int root) override {
        check_mpi(MPI_Bcast(data, count_of(n), MPI_FLOAT, root, MPI_COMM_WORLD), "MPI_Bcast");
    }
    void barrier() override { check_mpi(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

  private:
    int rank_ = 0, size_ = 1, local_rank_ = 0;
    bool owns_init_ = false;
    std::vector<MPI_Request> requests_;  // this step's buckets; cleared when the last is waited
};

}  // namespace

std::unique_ptr<Communicator> make_mpi_communicator() {
    return std::make_unique<MpiCommunicator>();
}

void mpi_abort(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
}

}  // namespace lm::train::dist
