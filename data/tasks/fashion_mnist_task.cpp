// The `fashion-mnist` task: the Debian package dataset-fashion-mnist as 784 pixel tokens.
//
// Splits: train = the first 54000 training images, validation = the last 6000 training images
// (a fixed carve-out, like LRA's image tasks), test = the official 10000. A positive size
// option keeps the first N of a split.
#include <filesystem>

#include "data/dataset_task.h"
#include "data/error.h"
#include "data/idx.h"
#include "data/tasks/factories.h"

namespace lm::data {

namespace {

constexpr int64_t kValidationCount = 6000;
constexpr int64_t kSide = 28;

const std::vector<std::string> kClassNames = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                              "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                              "Bag",         "Ankle boot"};

class FashionMnistTask : public DatasetTask {
  public:
    explicit FashionMnistTask(const TaskOptions& options)
        : DatasetTask(options), tokenizer_(kSide, kSide) {}

    const Tokenizer& tokenizer() const override { return tokenizer_; }

  protected:
    TaskInfo describe() const override {
        TaskInfo info{"fashion-mnist", tokenizer_.vocab_size(), 10, kSide * kSide, false,
                      kClassNames};
        info.image_width = info.image_height = kSide;
        return info;
    }

    nlohmann::json sources() const override {
        nlohmann::json files = nlohmann::json::array();
        for (const char* name : kFiles) {
            files.push_back(file_identity(path(name)));
        }
        return files;
    }

    CachedDataset build() const override {
        check_installed();
        CachedDataset data;
        auto train = read_pair("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
        auto& validation = data.splits[static_cast<size_t>(Split::Validation)];
        const auto first_validation =
            train.end() - std::min<int64_t>(kValidationCount, train.size());
        validation.assign(std::make_move_iterator(first_validation),
                          std::make_move_iterator(train.end()));
        train.erase(first_validation, train.end());
        data.splits[static_cast<size_t>(Split::Train)] = std::move(train);
        data.splits[static_cast<size_t>(Split::Test)] =
            read_pair("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        const std::array<int64_t, 3> limits = {options().train_size, options().validation_size,
                                               options().test_size};
        for (size_t s = 0; s < 3; ++s) {
            if (limits[s] >= 0 && limits[s] < static_cast<int64_t>(data.splits[s].size())) {
                data.splits[s].resize(limits[s]);
            }
        }
        return data;
    }

  private:
    static constexpr const char* kFiles[] = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz"};

    std::string path(const std::string& file) const {
        return options().fashion_mnist_dir + "/" + file;
    }

    void check_installed() const {
        for (const char* file : kFiles) {
            if (!std::filesystem::exists(path(file))) {
                throw DataError("fashion-mnist: " + path(file) +
                                " is missing; install the dataset with `sudo apt-get install "
                                "dataset-fashion-mnist` (or `bash tools/setup.sh`), or point the "
                                "task option fashion_mnist_dir at the IDX files");
            }
        }
    }

    std::vector<Example> read_pair(const std::string& images_file,
                                   const std::string& labels_file) const {
        const auto images = parse_idx_images(read_maybe_gzip(path(images_file)), path(images_file));
        const auto labels = parse_idx_labels(read_maybe_gzip(path(labels_file)), path(labels_file));
        if (images.rows != kSide || images.cols != kSide) {
            throw error_at_offset(path(images_file), 8,
                                  "expected 28x28 images, got " + std::to_string(images.rows) +
                                      "x" + std::to_string(images.cols));
        }
        if (static_cast<int64_t>(labels.size()) != images.count) {
            throw error_at_offset(path(labels_file), 4,
                                  "expected " + std::to_string(images.count) +
                                      " labels (one per image), got " +
                                      std::to_string(labels.size()));
        }
        std::vector<Example> examples(images.count);
        for (int64_t i = 0; i < images.count; ++i) {
            if (labels[i] > 9) {
                throw error_at_offset(path(labels_file), 8 + i,
                                      "expected a label in 0..9, got " + std::to_string(labels[i]));
            }
            examples[i].tokens = tokenizer_.encode_pixels(
                std::span<const uint8_t>(images.pixels.data() + i * kSide * kSide, kSide * kSide));
            examples[i].label = labels[i];
        }
        return examples;
    }

    PixelTokenizer tokenizer_;
};

}  // namespace

std::unique_ptr<Task> make_fashion_mnist_task(const TaskOptions& options) {
    return std::make_unique<FashionMnistTask>(options);
}

}  // namespace lm::data
