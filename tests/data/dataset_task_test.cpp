#include "data/dataset_task.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "data/cache.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TaskOptions cached_listops(const std::string& cache_dir) {
    TaskOptions o;
    o.name = "listops";
    o.cache_dir = cache_dir;
    o.min_length = 5;
    o.max_length = 60;
    o.train_size = 40;
    o.validation_size = 5;
    o.test_size = 5;
    return o;
}

std::vector<std::string> cache_files(const std::string& dir) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        files.push_back(entry.path().string());
    }
    return files;
}

TEST(DatasetTask, SecondRunReadsTheCache) {
    testing::TempDir dir;
    auto first = make_task(cached_listops(dir.path()));
    const auto train = first->examples(Split::Train);
    const auto files = cache_files(dir.path());
    ASSERT_EQ(files.size(), 1u);
    const auto written = std::filesystem::last_write_time(files[0]);
    testing::WarningCapture warnings;
    auto second = make_task(cached_listops(dir.path()));
    EXPECT_EQ(second->examples(Split::Train), train);
    EXPECT_EQ(std::filesystem::last_write_time(files[0]), written);
    EXPECT_TRUE(warnings.messages.empty());
}

TEST(DatasetTask, OtherOptionsUseAnotherCacheFile) {
    testing::TempDir dir;
    make_task(cached_listops(dir.path()))->examples(Split::Train);
    auto options = cached_listops(dir.path());
    options.seed = 1;
    make_task(options)->examples(Split::Train);
    EXPECT_EQ(cache_files(dir.path()).size(), 2u);
    options.threads = 1;  // does not change the data, so shares the file
    make_task(options)->examples(Split::Train);
    EXPECT_EQ(cache_files(dir.path()).size(), 2u);
}

TEST(DatasetTask, CorruptCacheIsRebuiltWithAWarning) {
    testing::TempDir dir;
    const auto expected = make_task(cached_listops(dir.path()))->examples(Split::Test);
    const std::string file = cache_files(dir.path())[0];
    std::string bytes = testing::read_file(file);
    bytes[bytes.size() / 2] ^= 0x5A;
    testing::write_file(file, bytes);
    testing::WarningCapture warnings;
    EXPECT_EQ(make_task(cached_listops(dir.path()))->examples(Split::Test), expected);
    ASSERT_EQ(warnings.messages.size(), 1u);
    EXPECT_EQ(warnings.messages[0],
              file + ": rebuilding the data cache (payload checksum mismatch)");
    EXPECT_EQ(read_cache(file, "").status, CacheStatus::Foreign);  // valid again
}

TEST(DatasetTask, UnwritableCacheOnlyWarns) {
    testing::TempDir dir;
    testing::write_file(dir.file("blocker"), "a file where the cache directory should be");
    testing::WarningCapture warnings;
    auto task = make_task(cached_listops(dir.file("blocker")));
    EXPECT_EQ(task->examples(Split::Train).size(), 40u);
    ASSERT_EQ(warnings.messages.size(), 1u);
    EXPECT_NE(warnings.messages[0].find("continuing without a cache"), std::string::npos);
}

TEST(DatasetTask, FileIdentity) {
    testing::TempDir dir;
    EXPECT_TRUE(file_identity(dir.file("none")).is_null());
    testing::write_file(dir.file("f"), "abc");
    EXPECT_EQ(file_identity(dir.file("f"))["size"], 3);
    EXPECT_EQ(or_default(-1, 7), 7);
    EXPECT_EQ(or_default(0, 7), 0);
}

}  // namespace
}  // namespace lm::data
