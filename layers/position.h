// Absolute position embeddings: learned (a table, N(0, 0.02) init, as the reference) or the
// fixed sinusoidal encoding of "Attention is all you need".
#pragma once

#include <memory>
#include <string>

#include "core/base/rng.h"
#include "layers/module.h"

namespace lm::nn {

class PositionEmbedding : public Module {
  public:
    // kind: "learned", "sinusoidal" or "none"
    PositionEmbedding(const std::string& kind, int64_t max_len, int64_t dim, Generator& gen);
    // [N, D] embeddings of positions 0..N-1 (broadcast over the batch); N <= max_len.
    Tensor forward(int64_t N) const;
    bool enabled() const { return kind_ != Kind::None; }
    int64_t max_len() const { return max_len_; }

  private:
    enum class Kind { Learned, Sinusoidal, None };
    Kind kind_;
    int64_t max_len_, dim_;
    Tensor table_;  // learned: a parameter; sinusoidal: a constant (not saved)
};

// The sinusoidal table [max_len, dim]: sin on even features, cos on odd ones.
Tensor sinusoidal_table(int64_t max_len, int64_t dim);

}  // namespace lm::nn
