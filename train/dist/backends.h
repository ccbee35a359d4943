// Constructors of the communicator backends, each compiled only where its library was found
// (LANDMARK_WITH_MPI, LANDMARK_WITH_NCCL); communicator.cpp picks among them.
#pragma once

#include <memory>

#include "train/dist/communicator.h"

namespace lm::train::dist {

// Initialises MPI (once; finalised at exit) and returns MPI_COMM_WORLD.
std::unique_ptr<Communicator> make_mpi_communicator();
void mpi_abort(int code);

// An NCCL communicator over the ranks of `world` (which bootstraps it) on `device`.
std::unique_ptr<Communicator> make_nccl_communicator(Communicator& world, Device device);

}  // namespace lm::train::dist
