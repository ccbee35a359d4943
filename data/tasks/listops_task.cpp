// The `listops` task: LRA ListOps generated on the fly (see data/listops.h).
//
// Each split draws candidate trees from its own streams (seed, split, candidate index) and keeps
// accepted trees that no split has produced yet. Splits are generated test, validation, train,
// so the evaluation sets do not change when train_size does.
#include <optional>
#include <unordered_map>

#include "core/base/hash.h"
#include "core/base/parallel.h"
#include "data/dataset_task.h"
#include "data/error.h"
#include "data/listops.h"
#include "data/tasks/factories.h"

namespace lm::data {

namespace {

constexpr int64_t kCandidatesPerBlock = 16384;

// Exact-duplicate filter over all splits; remembers (split, index) instead of copies.
class UniqueTrees {
  public:
    explicit UniqueTrees(const std::array<std::vector<Example>, 3>& splits) : splits_(splits) {}

    // True if no split holds these tokens yet; then records that they will be stored at
    // splits[split][index].
    bool insert(const std::vector<int32_t>& tokens, size_t split, size_t index) {
        auto& bucket = seen_[fnv1a64_bytes(tokens.data(), tokens.size() * sizeof(int32_t))];
        for (const auto& [other_split, other_index] : bucket) {
            if (splits_[other_split][other_index].tokens == tokens) return false;
        }
        bucket.emplace_back(split, index);
        return true;
    }

  private:
    const std::array<std::vector<Example>, 3>& splits_;
    std::unordered_map<uint64_t, std::vector<std::pair<size_t, size_t>>> seen_;
};

class ListOpsTask : public DatasetTask {
  public:
    explicit ListOpsTask(const TaskOptions& options) : DatasetTask(options) {
        config_.min_length = or_default(options.min_length, 500);
        config_.max_length = or_default(options.max_length, 2000);
        config_.max_depth = options.max_depth;
        config_.max_args = options.max_args;
        if (config_.max_length - config_.min_length < 2) {
            throw DataError(
                "listops: expected min_length + 1 < max_length (lengths lie strictly "
                "between them), got min_length " +
                std::to_string(config_.min_length) + " and max_length " +
                std::to_string(config_.max_length));
        }
        sizes_ = {or_default(options.train_size, 96000), or_default(options.validation_size, 2000),
                  or_default(options.test_size, 2000)};
    }

    const Tokenizer& tokenizer() const override { return tokenizer_; }

  protected:
    TaskInfo describe() const override {
        TaskInfo info{"listops", tokenizer_.vocab_size(), 10, config_.max_length, false, {}};
        for (int digit = 0; digit < 10; ++digit) {
            info.class_names.push_back(std::to_string(digit));
        }
        return info;
    }

    CachedDataset build() const override {
        CachedDataset data;
        UniqueTrees seen(data.splits);
        for (Split split : {Split::Test, Split::Validation, Split::Train}) {
            const auto index = static_cast<size_t>(split);
            generate(split, sizes_[index], seen, data.splits[index]);
        }
        return data;
    }

  private:
    void generate(Split split,
                  int64_t count,
                  UniqueTrees& seen,
                  std::vector<Example>& examples) const {
        const int64_t candidate_limit = 100000 * count + 1000000;
        for (int64_t first = 0; static_cast<int64_t>(examples.size()) < count;) {
            if (first >= candidate_limit) {
                throw DataError("listops: only " + std::to_string(examples.size()) + " of " +
                                std::to_string(count) + " unique " + split_name(split) +
                                " trees after " + std::to_string(first) +
                                " candidates; widen min_length/max_length");
            }
            std::vector<std::optional<std::vector<int32_t>>> block(kCandidatesPerBlock);
            parallel_for_each(kCandidatesPerBlock, static_cast<int>(options().threads),
                              [&](int64_t i) {
                                  Rng rng(stream_seed(options().seed, "listops",
                                                      static_cast<uint64_t>(split), first + i));
                                  block[i] = sample_listops_tree(rng, config_);
                              });
            for (auto& tree : block) {
                if (!tree || static_cast<int64_t>(examples.size()) == count) continue;
                if (!seen.insert(*tree, static_cast<size_t>(split), examples.size())) continue;
                const int32_t label = evaluate_listops(*tree);
                examples.push_back({std::move(*tree), {}, label});
            }
            first += kCandidatesPerBlock;
        }
    }

    ListOpsConfig config_;
    std::array<int64_t, 3> sizes_{};
    ListOpsTokenizer tokenizer_;
};

}  // namespace

std::unique_ptr<Task> make_listops_task(const TaskOptions& options) {
    return std::make_unique<ListOpsTask>(options);
}

}  // namespace lm::data
