// ListOps (Nangia & Bowman 2018) as generated for the Long Range Arena: the tree sampler and a
// stack evaluator over ListOpsTokenizer ids (no parentheses; "]" closes an operator).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/base/xoshiro.h"

namespace lm::data {

struct ListOpsConfig {
    int64_t min_length = 500;  // keep trees with min_length < length < max_length
    int64_t max_length = 2000;
    int64_t max_depth = 10;  // the root is at depth 1; nodes at max_depth are digits
    int64_t max_args = 10;   // arguments per operator: uniform in [2, max_args]
    double operator_probability = 0.25;
};

// Samples one tree as in LRA's generator: at depth d < max_depth a node is an operator with
// probability 0.25 (k children, then the operator), else a digit. Returns nullopt when the
// length is outside (min_length, max_length); stops early once max_length is reached.
std::optional<std::vector<int32_t>> sample_listops_tree(Rng& rng, const ListOpsConfig& config);

// Value of a ListOps sequence (0..9). MIN, MAX, MED (median; the floor of the mean of the two
// middle values for an even count) and SM (sum mod 10). Throws DataError naming the token
// position if the sequence is not one well-formed expression.
int32_t evaluate_listops(std::span<const int32_t> tokens);

// Deepest operator nesting (a single digit has depth 0, "[MAX 1 2 ]" depth 1).
int64_t listops_depth(std::span<const int32_t> tokens);

}  // namespace lm::data
