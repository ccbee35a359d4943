// Masked-LM inputs (data/mlm_masking.h): how many tokens are chosen and where, the 80/10/10
// split of what they become, determinism, and the errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/base/xoshiro.h"
#include "data/error.h"
#include "data/mlm_masking.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

constexpr int32_t kMask = 258;

// `lengths.size()` rows of `length` slots: CLS, then the row's real byte tokens, then PAD.
HostBatch ragged_batch(const std::vector<int64_t>& lengths,
                       int64_t length,
                       uint64_t seed,
                       int64_t first_index = 0) {
    HostBatch b;
    b.batch = static_cast<int64_t>(lengths.size());
    b.length = length;
    b.ids.assign(b.batch * length, kPadId);
    b.mask.assign(b.batch * length, 0.0f);
    Rng rng(seed);
    for (int64_t r = 0; r < b.batch; ++r) {
        b.indices.push_back(first_index + r);
        b.ids[r * length] = kClsId;
        b.mask[r * length] = 1.0f;
        for (int64_t i = 1; i <= lengths[r]; ++i) {
            b.ids[r * length + i] = static_cast<int32_t>(rng.uniform_int(2, kMask - 1));
            b.mask[r * length + i] = 1.0f;
        }
    }
    return b;
}

MlmMaskOptions bytes() {
    MlmMaskOptions o;
    o.mask_id = kMask;
    return o;
}

TEST(MlmMasking, ChoosesFifteenPercentOfEachRowsRealTokensOnly) {
    const std::vector<int64_t> lengths = {100, 40, 7, 1, 0, 63};
    HostBatch batch = ragged_batch(lengths, 101, 1);
    const HostBatch original = batch;
    const MlmTargets t = apply_mlm_masking(batch, bytes(), 7, 0);
    int64_t total = 0;
    for (size_t r = 0; r < lengths.size(); ++r) {
        int64_t chosen = 0;
        for (int64_t i = 0; i < batch.length; ++i) {
            const size_t at = r * batch.length + i;
            const bool real = i >= 1 && i <= lengths[r];
            if (t.labels[at] == kIgnoreTarget) {
                EXPECT_EQ(batch.ids[at], original.ids[at]) << "row " << r << " pos " << i;
                continue;
            }
            EXPECT_TRUE(real) << "row " << r << ": position " << i << " is CLS or padding";
            EXPECT_EQ(t.labels[at], original.ids[at]);
            ++chosen;
        }
        const int64_t expected =
            lengths[r] == 0 ? 0 : std::max<int64_t>(1, std::llround(0.15 * lengths[r]));
        EXPECT_EQ(chosen, expected) << "row " << r;
        total += chosen;
    }
    EXPECT_EQ(t.chosen, total);
}

TEST(MlmMasking, ChosenTokensBecomeMaskRandomOrThemselvesEightyTenTen) {
    HostBatch batch = ragged_batch(std::vector<int64_t>(400, 200), 201, 2);
    const HostBatch original = batch;
    const MlmTargets t = apply_mlm_masking(batch, bytes(), 3, 5);
    ASSERT_EQ(t.chosen, 400 * 30);
    int64_t masked = 0, same = 0, other = 0;
    for (size_t at = 0; at < batch.ids.size(); ++at) {
        if (t.labels[at] == kIgnoreTarget) continue;
        const int32_t id = batch.ids[at];
        if (id == kMask)
            ++masked;
        else if (id == original.ids[at])
            ++same;
        else
            ++other;
        EXPECT_GE(id, kFirstTokenId);
        EXPECT_LE(id, kMask);
    }
    // 12000 draws: one standard error of a 10 % share is 0.27 points; allow four
    const double n = static_cast<double>(t.chosen);
    EXPECT_NEAR(masked / n, 0.8, 0.015);
    EXPECT_NEAR(other / n, 0.1 * 255.0 / 256.0, 0.011);  // a random token may equal the original
    EXPECT_NEAR(same / n, 0.1 + 0.1 / 256.0, 0.011);
}

TEST(MlmMasking, TheSameExampleGetsTheSameMaskInAnyBatchAndStreamsDiffer) {
    const HostBatch base = ragged_batch({80, 80, 80}, 81, 4);
    HostBatch a = base, b = base;
    const MlmTargets ta = apply_mlm_masking(a, bytes(), 11, 3);
    const MlmTargets tb = apply_mlm_masking(b, bytes(), 11, 3);
    EXPECT_EQ(a.ids, b.ids);
    EXPECT_EQ(ta.labels, tb.labels);
    // example 1 alone in a batch of one: its row is masked exactly as in the batch of three
    HostBatch alone;
    alone.batch = 1;
    alone.length = 81;
    alone.ids.assign(base.ids.begin() + 81, base.ids.begin() + 162);
    alone.mask.assign(base.mask.begin() + 81, base.mask.begin() + 162);
    alone.indices = {1};
    const MlmTargets t1 = apply_mlm_masking(alone, bytes(), 11, 3);
    EXPECT_EQ(alone.ids, std::vector<int32_t>(a.ids.begin() + 81, a.ids.begin() + 162));
    EXPECT_EQ(t1.labels, std::vector<int32_t>(ta.labels.begin() + 81, ta.labels.begin() + 162));
    // another step or another seed: another mask
    HostBatch c = base, d = base;
    EXPECT_NE(apply_mlm_masking(c, bytes(), 11, 4).labels, ta.labels);
    EXPECT_NE(apply_mlm_masking(d, bytes(), 12, 3).labels, ta.labels);
}

TEST(MlmMasking, BadOptionsAndBatchesWithoutTokensAreErrors) {
    HostBatch empty = ragged_batch({0, 0}, 4, 5);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(apply_mlm_masking(empty, bytes(), 1, 0)),
              "masked LM: a batch of 2 sequences has no real token to mask (every sequence is "
              "empty)");
    HostBatch batch = ragged_batch({5}, 6, 6);
    MlmMaskOptions o = bytes();
    o.mask_id = -1;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(apply_mlm_masking(batch, o, 1, 0)),
              "masked LM: the task has no MASK token (mask_id -1); masked-LM training needs a "
              "corpus task");
    o = bytes();
    o.mask_prob = 0.0;
    EXPECT_THROW(validate_mlm_options(o), DataError);
    o = bytes();
    o.mask_replace = 0.95;
    EXPECT_THROW(validate_mlm_options(o), DataError);
}

}  // namespace
}  // namespace lm::data
