// Shared by the CLI tests: a temporary directory per test, tiny configs, and reading a run's
// checkpoints back.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "train/io/safetensors.h"

namespace lm::testing {

namespace fs = std::filesystem;

// Tiny ListOps (short expressions, a 1-layer Nystrom model): 60 steps in ~2 s on one core.
inline const char* kTinyListOps = R"(task:
  name: listops
  train_size: 1500
  validation_size: 200
  test_size: 200
  min_length: 10
  max_length: 64
  max_depth: 3
  threads: 1
  cache: false
model:
  dim: 32
  ffn_dim: 64
  heads: 2
  head_dim: 16
  layers: 1
  attention:
    type: nystrom
    landmarks: 8
    conv_kernel: 5
train:
  steps: 60
  batch_size: 32
  padding: longest
  pad_multiple: 8
  checkpoint_every: 5
optimizer:
  lr: 3.0e-3
schedule:
  type: linear
  warmup_steps: 10
eval:
  every: 0
run:
  log_every: 20
  progress: log
)";

class CliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("landmark_cli_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);  // kept for inspection after a failure
    }
    // Writes `text` to dir_/name and returns the path.
    std::string write(const std::string& name, const std::string& text) const {
        const fs::path p = dir_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    fs::path dir_;
};

// The step `latest` names in a run directory, or -1.
inline int64_t latest_step(const fs::path& run) {
    std::ifstream in(run / "checkpoints" / "latest");
    std::string name;
    if (!(in >> name) || name.size() < 6 || name.rfind("step-", 0) != 0) return -1;
    return std::stoll(name.substr(5));
}

// Raw bytes of every tensor of a checkpoint's model.safetensors, by name.
inline std::map<std::string, std::string> weight_bytes(const fs::path& checkpoint_dir) {
    const auto file = train::load_safetensors((checkpoint_dir / "model.safetensors").string());
    std::map<std::string, std::string> out;
    for (const auto& [name, t] : file.tensors) {
        out[name] = std::string(static_cast<const char*>(t.raw_data()), t.nbytes());
    }
    return out;
}

// The latest checkpoint's weights of a run directory.
inline std::map<std::string, std::string> final_weights(const fs::path& run) {
    std::ifstream in(run / "checkpoints" / "latest");
    std::string name;
    in >> name;
    return weight_bytes(run / "checkpoints" / name);
}

// Names of the tensors whose bytes differ (or exist in one only).
inline std::vector<std::string> differing(const std::map<std::string, std::string>& a,
                                          const std::map<std::string, std::string>& b) {
    std::vector<std::string> out;
    for (const auto& [name, bytes] : a) {
        if (!b.count(name) || b.at(name) != bytes) out.push_back(name);
    }
    for (const auto& [name, bytes] : b) {
        if (!a.count(name)) out.push_back(name);
    }
    return out;
}

}  // namespace lm::testing
