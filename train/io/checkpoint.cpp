#include "train/io/checkpoint.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "train/fault_inject.h"
#include "train/io/checkpoint_io.h"

namespace lm::train {

namespace fs = std::filesystem;

namespace {
constexpr const char* kLatestFile = "latest";
constexpr const char* kTempPrefix = ".tmp-";  // step checkpoints being written

// The step of a directory name "step-<8 or more digits>", or -1.
int64_t parse_step_name(const std::string& name) {
    if (name.rfind("step-", 0) != 0 || name.size() < 13 || name.size() > 23) return -1;
    int64_t step = 0;
    for (size_t i = 5; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return -1;
        step = step * 10 + (name[i] - '0');
    }
    return step;
}

// Leftovers of interrupted writes: ".tmp-step-..." directories and "<file>.tmp-<pid>-<n>".
bool is_temporary(const std::string& name) {
    return name.find(".tmp-") != std::string::npos;
}

std::string path_in(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / name).string();
}
}  // namespace

CheckpointStore::CheckpointStore(std::string run_dir, int keep_last)
    : run_dir_(std::move(run_dir)), keep_last_(keep_last) {
    LM_CHECK(keep_last_ >= 0, "checkpoints: keep_last must be >= 0, got ", keep_last_);
    dir_ = path_in(run_dir_, "checkpoints");
}

std::string CheckpointStore::step_dir_name(int64_t step) {
    LM_CHECK(step >= 0, "checkpoints: negative step ", step);
    char buf[32];
    std::snprintf(buf, sizeof buf, "step-%08lld", static_cast<long long>(step));
    return buf;
}

std::string CheckpointStore::save(int64_t step, const CheckpointData& data) {
    const std::string name = step_dir_name(step);
    std::error_code ec;
    fs::create_directories(dir_, ec);
    LM_CHECK(!ec, "cannot create '", dir_, "': ", ec.message());
    fsync_path(run_dir_);
    const std::string tmp = path_in(dir_, kTempPrefix + name + temp_suffix());
    try {
        write_checkpoint_dir(tmp, data);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        throw;
    }
    fault_point("checkpoint_before_install");
    const std::string final_dir = path_in(dir_, name);
    install_dir(tmp, final_dir);
    fault_point("checkpoint_before_latest");
    write_text_atomic(path_in(dir_, kLatestFile), name + "\n");
    fault_point("checkpoint_before_prune");
    prune(name);
    return final_dir;
}

void CheckpointStore::save_best(const CheckpointData& data) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    LM_CHECK(!ec, "cannot create '", dir_, "': ", ec.message());
    const std::string best = path_in(dir_, "best"), tmp = best + ".tmp", old = best + ".old";
    remove_tree(tmp);  // left by a crash
    write_checkpoint_dir(tmp, data);
    if (fs::exists(best, ec)) {
        remove_tree(old);  // `best` is complete, so an older best.old is not needed
        rename_path(best, old);
        fsync_path(dir_);
        fault_point("best_after_move_old");
    }
    rename_path(tmp, best);
    fsync_path(dir_);
    remove_tree(old);
    fsync_path(dir_);
}

std::vector<int64_t> CheckpointStore::steps() const {
    std::vector<int64_t> out;
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) return out;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const int64_t s = parse_step_name(entry.path().filename().string());
        if (s >= 0 && entry.is_directory(ec)) out.push_back(s);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::string> CheckpointStore::latest() const {
    const std::string file = path_in(dir_, kLatestFile);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) {
        std::string name = read_text_file(file);
        while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
            name.pop_back();
        if (parse_step_name(name) >= 0 && is_checkpoint_dir(path_in(dir_, name))) {
            return path_in(dir_, name);
        }
    }
    const std::vector<int64_t> all = steps();  // fall back to the newest complete one
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const std::string d = path_in(dir_, step_dir_name(*it));
        if (is_checkpoint_dir(d)) return d;
    }
    return std::nullopt;
}

std::string CheckpointStore::resolve(const std::string& path, bool prefer_best) {
    if (fs::exists(fs::path(path) / "trainer.json")) return path;  // a checkpoint directory
    LM_CHECK(fs::is_directory(path), path, ": no such run or checkpoint directory");
    CheckpointStore store(path);
    if (prefer_best) {
        if (auto best = store.best()) return *best;
    }
    auto latest = store.latest();
    LM_CHECK(latest.has_value(), path, ": no checkpoint found (expected ", path,
             "/checkpoints/latest or a directory holding trainer.json)");
    return *latest;
}

std::optional<std::string> CheckpointStore::best() const {
    for (const char* name : {"best", "best.old"}) {
        const std::string d = path_in(dir_, name);
        if (is_checkpoint_dir(d)) return d;
    }
    return std::nullopt;
}

void CheckpointStore::prune(const std::string& keep) const {
    const std::optional<std::string> latest_dir = latest();
    std::vector<int64_t> all = steps();
    std::sort(all.rbegin(), all.rend());
    for (size_t i = 0; i < all.size(); ++i) {
        const std::string d = path_in(dir_, step_dir_name(all[i]));
        const bool protect = step_dir_name(all[i]) == keep || (latest_dir && *latest_dir == d);
        if (keep_last_ > 0 && i >= static_cast<size_t>(keep_last_) && !protect) remove_tree(d);
    }
    std::error_code ec;
    std::vector<std::string> stale;  // collected first: no removal while iterating
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (is_temporary(entry.path().filename().string())) stale.push_back(entry.path().string());
    }
    for (const std::string& path : stale)
        remove_tree(path);
    fsync_path(dir_);
}

CheckpointData CheckpointStore::load(const std::string& path) {
    std::error_code ec;
    if (is_checkpoint_dir(path)) return read_checkpoint_dir(path);
    fs::path p = fs::path(path).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();  // trailing '/'
    std::optional<std::string> dir;
    if (fs::is_directory(p / "checkpoints", ec)) {
        dir = CheckpointStore(p.string()).latest();
    } else if (fs::exists(p / kLatestFile, ec) || p.filename() == "checkpoints") {
        dir = CheckpointStore(p.parent_path().string()).latest();
    } else {
        LM_CHECK(fs::exists(p, ec), "checkpoint '", path, "' does not exist");
        LM_CHECK(!fs::exists(p / kModelFile, ec), "checkpoint '", path,
                 "' is incomplete: ", "it needs ", kModelFile, ", ", kOptimizerFile, " and ",
                 kTrainerFile);
    }
    LM_CHECK(dir.has_value(), "no checkpoint found in '", path, "' (expected a checkpoint ",
             "directory or a run directory with checkpoints/latest)");
    return read_checkpoint_dir(*dir);
}

}  // namespace lm::train
