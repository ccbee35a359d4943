// Checkpoint store: bit-exact round trips, `latest`, pruning, best replacement, and recovery
// from the leftovers of a crash (stray temporaries, half-written files, an interrupted best).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/tensor_testing.h"
#include "train/io/checkpoint.h"

namespace lm::train {
namespace {

namespace fs = std::filesystem;

class Checkpoints : public ::testing::Test {
  protected:
    void SetUp() override {
        run_ = (fs::temp_directory_path() /
                ("lm_ckpt_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                   .string();
        fs::remove_all(run_);
        fs::create_directories(run_);
    }
    void TearDown() override { fs::remove_all(run_); }
    std::string ck(const std::string& name) const { return run_ + "/checkpoints/" + name; }

    std::string run_;
};

// A checkpoint whose values depend on `seed`.
CheckpointData make_data(uint64_t seed) {
    CheckpointData d;
    d.model = {{"encoder.weight", testing::random_tensor({4, 3}, seed, DType::Float32)},
               {"encoder.bias", testing::random_tensor({3}, seed + 1, DType::Float32)},
               {"features", testing::random_tensor({2, 2}, seed + 2, DType::Float64)}};
    d.optimizer = {{"step", full({}, double(seed), {DType::Int64})},
                   {"exp_avg.encoder.weight", testing::random_tensor({4, 3}, seed + 3)}};
    d.trainer = {{"step", seed}, {"rng", {{"seed", 1234567890123ull}}}, {"name", "run"}};
    return d;
}

void expect_same(const CheckpointData& a, const CheckpointData& b) {
    auto same = [](const nn::NamedTensors& x, const nn::NamedTensors& y) {
        ASSERT_EQ(x.size(), y.size());
        for (size_t i = 0; i < x.size(); ++i) {
            EXPECT_EQ(x[i].first, y[i].first);
            EXPECT_EQ(x[i].second.dtype(), y[i].second.dtype());
            EXPECT_EQ(testing::max_abs_diff(x[i].second, y[i].second), 0) << x[i].first;
        }
    };
    same(a.model, b.model);
    same(a.optimizer, b.optimizer);
    EXPECT_EQ(a.trainer, b.trainer);
}

std::string read(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

TEST_F(Checkpoints, RoundTripAndLatest) {
    CheckpointStore store(run_);
    EXPECT_FALSE(store.latest().has_value());
    const std::string dir = store.save(1000, make_data(1));
    EXPECT_EQ(dir, ck("step-00001000"));
    for (const char* f : {"model.safetensors", "optimizer.safetensors", "trainer.json"}) {
        EXPECT_TRUE(fs::is_regular_file(dir + "/" + f)) << f;
    }
    EXPECT_EQ(read(ck("latest")), "step-00001000\n");
    EXPECT_EQ(store.latest(), dir);
    expect_same(CheckpointStore::load(dir), make_data(1));
    expect_same(CheckpointStore::load(run_), make_data(1));
    expect_same(CheckpointStore::load(run_ + "/checkpoints/"), make_data(1));
    store.save(2000, make_data(2));
    expect_same(CheckpointStore::load(run_), make_data(2));
    EXPECT_EQ(CheckpointStore::step_dir_name(7), "step-00000007");
    EXPECT_EQ(CheckpointStore::step_dir_name(123456789), "step-123456789");
}

TEST_F(Checkpoints, PrunesOnlyAfterTheNewOneIsComplete) {
    CheckpointStore store(run_, 2);
    for (int64_t s = 1; s <= 4; ++s)
        store.save(s * 10, make_data(s));
    EXPECT_EQ(store.steps(), (std::vector<int64_t>{30, 40}));
    CheckpointStore keep_all(run_, 0);
    keep_all.save(50, make_data(5));
    keep_all.save(60, make_data(6));
    EXPECT_EQ(keep_all.steps(), (std::vector<int64_t>{30, 40, 50, 60}));
    // Saving the same step again replaces it.
    store.save(60, make_data(7));
    expect_same(CheckpointStore::load(run_), make_data(7));
    EXPECT_EQ(store.steps(), (std::vector<int64_t>{50, 60}));
}

TEST_F(Checkpoints, CrashLeftoversDoNotHideThePreviousCheckpoint) {
    CheckpointStore store(run_);
    store.save(10, make_data(1));
    // A crash while writing step 20: a temporary directory with a half-written model file, a
    // half-written `latest` temporary, and a half-written best.tmp.
    fs::create_directories(ck(".tmp-step-00000020.tmp-999-0"));
    std::ofstream(ck(".tmp-step-00000020.tmp-999-0/model.safetensors")) << "\x10\0\0\0garbage";
    std::ofstream(ck("latest.tmp-999-1")) << "step-000";
    fs::create_directories(ck("best.tmp"));
    std::ofstream(ck("best.tmp/model.safetensors")) << "partial";
    expect_same(CheckpointStore::load(run_), make_data(1));
    EXPECT_EQ(store.latest(), ck("step-00000010"));
    EXPECT_FALSE(store.best().has_value());
    // The next save cleans the leftovers up.
    store.save(20, make_data(2));
    EXPECT_FALSE(fs::exists(ck(".tmp-step-00000020.tmp-999-0")));
    EXPECT_FALSE(fs::exists(ck("latest.tmp-999-1")));
    expect_same(CheckpointStore::load(run_), make_data(2));
}

TEST_F(Checkpoints, MissingLatestFallsBackToTheNewestCompleteCheckpoint) {
    CheckpointStore store(run_, 0);
    store.save(10, make_data(1));
    store.save(20, make_data(2));
    // A crash after renaming step 30 into place but before `latest` was replaced is covered by
    // `latest`; without the file, the newest complete directory is used, skipping incomplete ones.
    fs::remove(ck("latest"));
    fs::create_directories(ck("step-00000030"));
    std::ofstream(ck("step-00000030/model.safetensors")) << "x";
    EXPECT_EQ(store.latest(), ck("step-00000020"));
    expect_same(CheckpointStore::load(run_), make_data(2));
}

TEST_F(Checkpoints, BestIsReplacedWithoutAGap) {
    CheckpointStore store(run_);
    store.save_best(make_data(1));
    EXPECT_EQ(store.best(), ck("best"));
    store.save_best(make_data(2));
    expect_same(CheckpointStore::load(*store.best()), make_data(2));
    EXPECT_FALSE(fs::exists(ck("best.old")));
    EXPECT_FALSE(fs::exists(ck("best.tmp")));
    // A crash between "best -> best.old" and "best.tmp -> best": best.old is the complete best.
    fs::rename(ck("best"), ck("best.old"));
    fs::create_directories(ck("best.tmp"));
    EXPECT_EQ(store.best(), ck("best.old"));
    expect_same(CheckpointStore::load(*store.best()), make_data(2));
    store.save_best(make_data(3));
    EXPECT_EQ(store.best(), ck("best"));
    expect_same(CheckpointStore::load(*store.best()), make_data(3));
    EXPECT_FALSE(fs::exists(ck("best.old")));
    // Step checkpoints and best are kept separately.
    store.save(5, make_data(4));
    store.save(6, make_data(5));
    store.save(7, make_data(6));
    expect_same(CheckpointStore::load(*store.best()), make_data(3));
}

TEST_F(Checkpoints, LoadErrorsNameTheFile) {
    auto expect_error = [](const std::string& path, const std::string& part) {
        try {
            CheckpointStore::load(path);
            ADD_FAILURE() << "expected an error about " << part;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        }
    };
    expect_error(run_ + "/nope", run_ + "/nope");
    fs::create_directories(run_ + "/checkpoints");
    expect_error(run_, "no checkpoint found");
    CheckpointStore store(run_);
    const std::string dir = store.save(1, make_data(1));
    std::ofstream(dir + "/trainer.json") << "{\"step\": ";
    expect_error(run_, dir + "/trainer.json");
    std::ofstream(dir + "/optimizer.safetensors") << "short";
    expect_error(dir, dir + "/optimizer.safetensors");
    fs::remove(dir + "/trainer.json");
    expect_error(dir, "incomplete");
}

}  // namespace
}  // namespace lm::train
