// Random generator state: a Philox key (seed) and a counter offset. Drawing n values reserves a
// counter range, so the state is two integers that checkpoints save and restore exactly.
#pragma once

#include <cstdint>

namespace lm {

struct GeneratorState {
    uint64_t seed = 0;
    uint64_t offset = 0;
};

class Generator {
public:
    explicit Generator(uint64_t seed = 0) { state_.seed = seed; }

    uint64_t seed() const { return state_.seed; }
    // Reserves `blocks` 128-bit Philox blocks and returns the first counter of the range.
    uint64_t reserve(uint64_t blocks) {
        const uint64_t start = state_.offset;
        state_.offset += blocks;
        return start;
    }
    GeneratorState state() const { return state_; }
    void set_state(GeneratorState s) { state_ = s; }
    void manual_seed(uint64_t seed) { state_ = {seed, 0}; }

    // Host-side draws for small things (landmark indices, shuffles of feature rows).
    double uniform();                        // [0, 1)
    uint64_t uniform_int(uint64_t n);        // [0, n), unbiased
    double normal();                         // N(0, 1)

private:
    GeneratorState state_;
};

// The process-wide generator used when a function is not given one.
Generator& default_generator();
void manual_seed(uint64_t seed);

}  // namespace lm
