#include "data/dataset_task.h"

#include <chrono>
#include <filesystem>

#include "core/base/hash.h"
#include "data/error.h"

namespace lm::data {

DatasetTask::DatasetTask(TaskOptions options) : options_(std::move(options)) {}

TaskInfo DatasetTask::info() const {
    return describe();
}

const std::vector<Example>& DatasetTask::examples(Split split) {
    ensure_loaded();
    return data_.splits[static_cast<size_t>(split)];
}

int64_t DatasetTask::skipped_bad_lines() const {
    return meta().value("skipped_bad_lines", int64_t{0});
}

const nlohmann::json& DatasetTask::meta() const {
    ensure_loaded();
    return data_.meta;
}

std::string DatasetTask::fingerprint() const {
    auto values = task_option_values(options_);
    // These change where or how fast data is built, not what is built.
    for (const char* key : {"cache", "cache_dir", "threads", "data_dir", "fashion_mnist_dir"}) {
        values.erase(key);
    }
    const nlohmann::json json = {
        {"cache_format", kCacheFormatVersion},
        {"options", values},
        {"sources", sources()},
        {"tokenizer", fnv1a64(tokenizer().to_json().dump())},
    };
    return json.dump();
}

void DatasetTask::ensure_loaded() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (loaded_) return;
    data_ = load_or_build();
    loaded_ = true;
}

CachedDataset DatasetTask::load_or_build() const {
    if (!options_.cache) return build();
    const std::string key = fingerprint();
    const std::string path = cache_path(resolved_cache_dir(options_), options_.name, key);
    auto cached = read_cache(path, key);
    if (cached.status == CacheStatus::Ok) return std::move(cached.dataset);
    if (cached.status != CacheStatus::Missing) {
        warn(path + ": rebuilding the data cache (" + cached.message + ")");
    }
    CachedDataset built = build();
    built.fingerprint = key;
    try {
        write_cache(path, built);
    } catch (const DataError& e) {
        warn(std::string(e.what()) + "; continuing without a cache");
    }
    return built;
}

nlohmann::json file_identity(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) return nullptr;
    const auto mtime = std::filesystem::last_write_time(path, error);
    const auto ticks = error ? 0 : mtime.time_since_epoch().count();
    return {{"path", path}, {"size", size}, {"mtime", static_cast<int64_t>(ticks)}};
}

}  // namespace lm::data
