#include "train/io/checkpoint_io.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2 (glibc, _GNU_SOURCE)

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "train/fault_inject.h"
#include "train/io/safetensors.h"

namespace lm::train {

namespace fs = std::filesystem;

namespace {
std::string join(const std::string& dir, const char* file) {
    return (fs::path(dir) / file).string();
}
std::string parent_of(const std::string& path) {
    return fs::path(path).parent_path().string();
}
}  // namespace

void write_checkpoint_dir(const std::string& dir, const CheckpointData& data) {
    std::error_code ec;
    LM_CHECK(fs::create_directory(dir, ec) && !ec, "cannot create checkpoint directory '", dir,
             "': ", ec ? ec.message() : "it already exists");
    std::map<std::string, std::string> model_meta = data.model_metadata;
    model_meta["format"] = "pt";
    model_meta["content"] = "model";
    save_safetensors(join(dir, kModelFile), data.model, model_meta);
    fault_point("checkpoint_after_model");
    save_safetensors(join(dir, kOptimizerFile), data.optimizer,
                     {{"format", "pt"}, {"content", "optimizer"}});
    fault_point("checkpoint_after_optimizer");
    write_text_atomic(join(dir, kTrainerFile), data.trainer.dump(2) + "\n");
    fsync_path(dir);
}

CheckpointData read_checkpoint_dir(const std::string& dir) {
    CheckpointData data;
    SafetensorsFile model = load_safetensors(join(dir, kModelFile));
    data.model = std::move(model.tensors);
    data.model_metadata = std::move(model.metadata);
    data.optimizer = load_safetensors(join(dir, kOptimizerFile)).tensors;
    const std::string path = join(dir, kTrainerFile);
    const std::string text = read_text_file(path);
    try {
        data.trainer = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        LM_CHECK(false, "checkpoint file '", path, "' is not valid JSON: ", e.what());
    }
    return data;
}

bool is_checkpoint_dir(const std::string& dir) {
    std::error_code ec;
    for (const char* f : {kModelFile, kOptimizerFile, kTrainerFile}) {
        if (!fs::is_regular_file(join(dir, f), ec)) return false;
    }
    return true;
}

void rename_path(const std::string& from, const std::string& to) {
    LM_CHECK(::rename(from.c_str(), to.c_str()) == 0, "cannot rename '", from, "' to '", to,
             "': ", std::strerror(errno));
}

void remove_tree(const std::string& path) {
    std::error_code ec;
    fs::remove_all(path, ec);
    LM_CHECK(!ec, "cannot remove '", path, "': ", ec.message());
}

void install_dir(const std::string& tmp, const std::string& dst) {
    std::error_code ec;
    if (!fs::exists(dst, ec)) {
        rename_path(tmp, dst);
    } else if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dst.c_str(), RENAME_EXCHANGE) == 0) {
        fsync_path(parent_of(dst));
        remove_tree(tmp);  // now the old directory
    } else {
        // No atomic exchange on this file system: move the old one aside first.
        const std::string old = dst + temp_suffix();
        rename_path(dst, old);
        rename_path(tmp, dst);
        fsync_path(parent_of(dst));
        remove_tree(old);
    }
    fsync_path(parent_of(dst));
}

}  // namespace lm::train
