// The `pathfinder` task: generated 32x32 Pathfinder images as 1024 pixel tokens.
//
// Example i of a split is generated from its own stream (seed, split, i). Labels are balanced
// exactly in pairs: examples 2j and 2j+1 get complementary labels, in an order drawn from the
// stream (seed, split, j); LRA draws each label independently, which only balances on average.
#include "core/base/parallel.h"
#include "core/base/xoshiro.h"
#include "data/dataset_task.h"
#include "data/pathfinder.h"
#include "data/tasks/factories.h"

namespace lm::data {

namespace {

class PathfinderTask : public DatasetTask {
  public:
    explicit PathfinderTask(const TaskOptions& options)
        : DatasetTask(options), tokenizer_(kSide, kSide) {
        config_.contour_length = options.contour_length;
        sizes_ = {or_default(options.train_size, 160000),
                  or_default(options.validation_size, 20000), or_default(options.test_size, 20000)};
    }

    const Tokenizer& tokenizer() const override { return tokenizer_; }

  protected:
    TaskInfo describe() const override {
        TaskInfo info{"pathfinder", tokenizer_.vocab_size(),      2, kSide * kSide,
                      false,        {"disconnected", "connected"}};
        info.image_width = info.image_height = kSide;
        return info;
    }

    CachedDataset build() const override {
        CachedDataset data;
        for (Split split : kAllSplits) {
            auto& examples = data.splits[static_cast<size_t>(split)];
            examples.resize(sizes_[static_cast<size_t>(split)]);
            parallel_for_each(static_cast<int64_t>(examples.size()),
                              static_cast<int>(options().threads),
                              [&](int64_t i) { examples[i] = generate(split, i); });
        }
        return data;
    }

  private:
    static constexpr int64_t kSide = 32;

    Example generate(Split split, int64_t index) const {
        const auto split_id = static_cast<uint64_t>(split);
        Rng pair_rng(stream_seed(options().seed, "pathfinder-label", split_id, index / 2));
        const int32_t label = (pair_rng.bit() ? 1 : 0) ^ static_cast<int32_t>(index & 1);
        const auto image = generate_pathfinder(
            stream_seed(options().seed, "pathfinder", split_id, index), config_, label);
        return {tokenizer_.encode_pixels(image.pixels), {}, image.label};
    }

    PathfinderConfig config_;
    std::array<int64_t, 3> sizes_{};
    PixelTokenizer tokenizer_;
};

}  // namespace

std::unique_ptr<Task> make_pathfinder_task(const TaskOptions& options) {
    return std::make_unique<PathfinderTask>(options);
}

}  // namespace lm::data
