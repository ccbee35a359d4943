// Data-parallel pieces without MPI: batch shards, gradient buckets started in order while
// backward runs, presence flags for parameters without a gradient, the batch-size check.
#include <gtest/gtest.h>

#include "core/autograd/accumulate_grad.h"
#include "core/autograd/functional.h"
#include "tests/support/tensor_testing.h"
#include "train/dist/grad_buckets.h"
#include "train/dist/shard.h"

namespace lm::train::dist {
namespace testing = lm::testing;
namespace {

// Plays N identical ranks: a sum over ranks is the local buffer times N. Records when each
// reduction started and how many were started before finish().
class FakeRanks final : public Communicator {
  public:
    explicit FakeRanks(int n) : n_(n) {}
    int rank() const override { return 0; }
    int size() const override { return n_; }
    const char* name() const override { return "fake"; }
    int start_allreduce_sum(float* data, int64_t n) override {
        for (int64_t i = 0; i < n; ++i)
            data[i] *= static_cast<float>(n_);
        sizes.push_back(n);
        return static_cast<int>(sizes.size()) - 1;
    }
    void wait(int) override {}
    void allreduce_sum(double* data, int64_t n) override {
        for (int64_t i = 0; i < n; ++i)
            data[i] *= n_;
    }
    void broadcast(float*, int64_t, int) override {}
    void barrier() override {}
    std::vector<int64_t> sizes;

  private:
    int n_;
};

TEST(Shard, RowsCoverTheBatch) {
    EXPECT_EQ(shard_rows(16, 0, 2).begin, 0);
    EXPECT_EQ(shard_rows(16, 0, 2).end, 8);
    EXPECT_EQ(shard_rows(16, 1, 2).begin, 8);
    EXPECT_EQ(shard_rows(16, 1, 2).end, 16);
    // A final partial batch: uneven shards, and possibly an empty one.
    EXPECT_EQ(shard_rows(3, 0, 2).end - shard_rows(3, 0, 2).begin, 1);
    EXPECT_EQ(shard_rows(3, 1, 2).end - shard_rows(3, 1, 2).begin, 2);
    EXPECT_EQ(shard_rows(1, 0, 2).end - shard_rows(1, 0, 2).begin, 0);
}

TEST(Shard, BatchKeepsTheGlobalLength) {
    data::HostBatch hb;
    hb.batch = 4, hb.length = 3;
    hb.ids = {1, 2, 0, 3, 0, 0, 4, 5, 6, 7, 0, 0};
    hb.mask = {1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0};
    hb.labels = {0, 1, 2, 3};
    hb.indices = {10, 11, 12, 13};
    hb.real_tokens = 7;
    const data::HostBatch s = shard_batch(hb, 1, 2);
    EXPECT_EQ(s.batch, 2);
    EXPECT_EQ(s.length, 3);
    EXPECT_EQ(s.ids, (std::vector<int32_t>{4, 5, 6, 7, 0, 0}));
    EXPECT_EQ(s.labels, (std::vector<int32_t>{2, 3}));
    EXPECT_EQ(s.indices, (std::vector<int64_t>{12, 13}));
    EXPECT_EQ(s.real_tokens, 4);
}

TEST(Shard, BatchSizeMustSplit) {
    Config cfg;
    cfg.train.batch_size = 30;
    cfg.train.grad_accum = 3;
    EXPECT_NO_THROW(check_batch_divides(cfg, 2));
    try {
        check_batch_divides(cfg, 4);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("train.batch_size: 30 does not split between 4 ranks"),
                  std::string::npos)
            << e.what();
    }
}

TEST(GradBuckets, StartDuringBackwardAndSumGradients) {
    Tensor a = from_vector(std::vector<double>(8, 1.0), {8}, {DType::Float32});
    Tensor b = from_vector(std::vector<double>(4, 1.0), {4}, {DType::Float32});
    Tensor unused = zeros({2}, {DType::Float32});
    for (Tensor* p : {&a, &b, &unused})
        p->requires_grad_(true);
    FakeRanks ranks(2);
    // 8-byte buckets: one per parameter, in reverse order (unused, b, a).
    GradBuckets buckets(ranks, {a, b, unused}, 8);
    ASSERT_EQ(buckets.num_buckets(), 3);
    {
        GradReadyHookScope hook([&](const TensorImpl& l) { buckets.on_grad_ready(l); });
        (sum(a * 3.0) + sum(b * 5.0)).backward();
    }
    // `unused` never gets a gradient, so bucket 0 (and the ones after it) wait for finish().
    EXPECT_TRUE(ranks.sizes.empty());
    buckets.finish();
    ASSERT_EQ(ranks.sizes.size(), 3u);
    EXPECT_EQ(ranks.sizes[0], 2 + 1);  // elements + one presence flag
    testing::expect_values(a.grad(), std::vector<double>(8, 6.0), 0);
    testing::expect_values(b.grad(), std::vector<double>(4, 10.0), 0);
    EXPECT_FALSE(unused.grad().defined());
}

TEST(GradBuckets, CompleteBucketsStartBeforeBackwardEnds) {
    Tensor a = from_vector(std::vector<double>(8, 1.0), {8}, {DType::Float32});
    Tensor b = from_vector(std::vector<double>(4, 1.0), {4}, {DType::Float32});
    for (Tensor* p : {&a, &b})
        p->requires_grad_(true);
    FakeRanks ranks(3);
    GradBuckets buckets(ranks, {a, b}, 16);
    {
        GradReadyHookScope hook([&](const TensorImpl& l) { buckets.on_grad_ready(l); });
        (sum(a * 2.0) + sum(b)).backward();
    }
    EXPECT_EQ(ranks.sizes.size(), 2u);  // both started from the hook
    buckets.finish();
    testing::expect_values(a.grad(), std::vector<double>(8, 6.0), 0);
    testing::expect_values(b.grad(), std::vector<double>(4, 3.0), 0);
}

}  // namespace
}  // namespace lm::train::dist
