#include <gtest/gtest.h>

#include <filesystem>

#include "data/task.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

constexpr const char* kPackageDir = "/usr/share/datasets/fashion-mnist";

std::string big_endian(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

// A fake package: `count` 28x28 images per file; pixel values encode the image index.
void write_fixture(const std::string& dir, uint32_t count, uint32_t label_count) {
    for (const std::string prefix : {"train", "t10k"}) {
        std::string images =
            big_endian(0x803) + big_endian(count) + big_endian(28) + big_endian(28);
        for (uint32_t i = 0; i < count; ++i) {
            images += std::string(784, static_cast<char>(i));
        }
        std::string labels = big_endian(0x801) + big_endian(label_count);
        for (uint32_t i = 0; i < label_count; ++i) {
            labels += static_cast<char>(i % 10);
        }
        testing::write_gzip(dir + "/" + prefix + "-images-idx3-ubyte.gz", images);
        testing::write_gzip(dir + "/" + prefix + "-labels-idx1-ubyte.gz", labels);
    }
}

TaskOptions fashion(const std::string& dir) {
    TaskOptions o;
    o.name = "fashion-mnist";
    o.cache = false;
    o.fashion_mnist_dir = dir;
    return o;
}

TEST(FashionMnistTask, ReadsTheIdxFiles) {
    testing::TempDir dir;
    write_fixture(dir.path(), 4, 4);
    auto task = make_task(fashion(dir.path()));
    EXPECT_EQ(task->info().vocab_size, 258);
    EXPECT_EQ(task->info().max_length, 784);
    EXPECT_EQ(task->info().image_width, 28);
    // Fewer than 6000 training images: all of them are the validation carve-out.
    EXPECT_TRUE(task->examples(Split::Train).empty());
    const auto& validation = task->examples(Split::Validation);
    ASSERT_EQ(validation.size(), 4u);
    EXPECT_EQ(validation[3].label, 3);
    EXPECT_EQ(validation[3].tokens, std::vector<int32_t>(784, 3 + 2));
    EXPECT_EQ(task->examples(Split::Test).size(), 4u);
}

TEST(FashionMnistTask, BadFilesAreErrors) {
    testing::TempDir dir;
    write_fixture(dir.path(), 4, 3);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(fashion(dir.path()))->examples(Split::Train)),
              dir.path() +
                  "/train-labels-idx1-ubyte.gz: byte offset 4: expected 4 labels (one per "
                  "image), got 3");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(fashion(dir.file("none")))->examples(Split::Test)),
              "fashion-mnist: " + dir.file("none") +
                  "/train-images-idx3-ubyte.gz is missing; install the dataset with `sudo "
                  "apt-get install dataset-fashion-mnist` (or `bash tools/setup.sh`), or point "
                  "the task option fashion_mnist_dir at the IDX files");
}

TEST(FashionMnistTask, FullPackage) {
    if (!std::filesystem::exists(std::string(kPackageDir) + "/train-images-idx3-ubyte.gz")) {
        GTEST_SKIP() << "Fashion-MNIST is not installed; install it with `sudo apt-get install "
                        "dataset-fashion-mnist` (or `bash tools/setup.sh`)";
    }
    auto task = make_task(fashion(kPackageDir));
    const auto& train = task->examples(Split::Train);
    const auto& validation = task->examples(Split::Validation);
    const auto& test = task->examples(Split::Test);
    ASSERT_EQ(train.size(), 54000u);
    ASSERT_EQ(validation.size(), 6000u);
    ASSERT_EQ(test.size(), 10000u);
    std::vector<int> train_counts(10, 0), test_counts(10, 0);
    for (const auto* split : {&train, &validation}) {
        for (const auto& e : *split) {
            ++train_counts[e.label];
        }
    }
    for (const auto& e : test) {
        ++test_counts[e.label];
    }
    EXPECT_EQ(train_counts, std::vector<int>(10, 6000));
    EXPECT_EQ(test_counts, std::vector<int>(10, 1000));
    const std::vector<int32_t> first_train = {9, 0, 0, 3, 0, 2, 7, 2};
    const std::vector<int32_t> first_test = {9, 2, 1, 1, 6, 1, 4, 6};
    for (size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(train[i].label, first_train[i]);
        EXPECT_EQ(test[i].label, first_test[i]);
    }
    EXPECT_EQ(train[0].tokens.size(), 784u);
}

}  // namespace
}  // namespace lm::data
