// Compact binary cache of a task's encoded splits, so a second run starts in seconds.
//
// Layout (little-endian):
//   header (32 bytes): magic "LMDCACHE", u32 format version, u32 zero, u64 payload bytes,
//                      u32 CRC-32 of the payload, u32 CRC-32 of the 28 bytes before it
//   payload: fingerprint (u64 length + bytes), meta JSON (u64 length + bytes), then per split:
//            u64 examples, u8 token width (1, 2 or 4 bytes), int32 labels, u32 lengths,
//            u32 lengths of tokens2, tokens, tokens2
// A file whose size, checksums, version or structure do not match is Corrupt; a valid file
// built from other options or sources (another fingerprint) is Foreign. Neither ever crashes:
// the task rebuilds the data and overwrites the file.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/task.h"

namespace lm::data {

inline constexpr uint32_t kCacheFormatVersion = 1;

struct CachedDataset {
    std::string fingerprint;  // canonical JSON of everything the contents depend on
    nlohmann::json meta = nlohmann::json::object();  // task-specific (e.g. the label map)
    std::array<std::vector<Example>, 3> splits;      // indexed by Split
};

enum class CacheStatus { Ok, Missing, Foreign, Corrupt };

struct CacheReadResult {
    CacheStatus status = CacheStatus::Missing;
    std::string message;  // why the file was not used
    CachedDataset dataset;
};

// Never throws for a bad file; reports Missing, Foreign or Corrupt instead.
CacheReadResult read_cache(const std::string& path, const std::string& expected_fingerprint);
// Writes to a temporary file and renames it into place. Throws DataError on I/O failure.
void write_cache(const std::string& path, const CachedDataset& dataset);
// "<dir>/<task>-<16 hex digits of the fingerprint hash>.lmcache"
std::string cache_path(const std::string& dir,
                       const std::string& task,
                       const std::string& fingerprint);

}  // namespace lm::data
