// File-level pieces of the checkpoint store (train/checkpoint.h): one checkpoint directory's
// files, and crash-safe directory renames.
#pragma once

#include <string>

#include "train/io/checkpoint.h"

namespace lm::train {

inline constexpr const char* kModelFile = "model.safetensors";
inline constexpr const char* kOptimizerFile = "optimizer.safetensors";
inline constexpr const char* kTrainerFile = "trainer.json";

// Creates `dir` (which must not exist) holding the three files, every one fsynced, and fsyncs
// the directory.
void write_checkpoint_dir(const std::string& dir, const CheckpointData& data);
CheckpointData read_checkpoint_dir(const std::string& dir);
// Whether `dir` holds all three checkpoint files.
bool is_checkpoint_dir(const std::string& dir);

// Moves the complete directory `tmp` to `dst`. An existing `dst` is swapped out atomically
// (renameat2 RENAME_EXCHANGE) and then removed. The parent directory is fsynced.
void install_dir(const std::string& tmp, const std::string& dst);
void rename_path(const std::string& from, const std::string& to);
void remove_tree(const std::string& path);  // no error when it does not exist

}  // namespace lm::train
