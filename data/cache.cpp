#include "data/cache.h"

#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "core/base/atomic_file.h"
#include "core/base/hash.h"
#include "data/error.h"

namespace lm::data {

static_assert(std::endian::native == std::endian::little, "the cache format is little-endian");

namespace {

constexpr char kMagic[8] = {'L', 'M', 'D', 'C', 'A', 'C', 'H', 'E'};
constexpr size_t kHeaderBytes = 32;

uint32_t crc32_of(const char* data, size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {  // zlib takes uInt lengths
        const uInt chunk = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
        data += chunk;
        size -= chunk;
    }
    return static_cast<uint32_t>(crc);
}

class Writer {
  public:
    template <typename T>
    void put(T value) {
        bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    void put_string(const std::string& text) {
        put<uint64_t>(text.size());
        bytes_ += text;
    }
    template <typename T>
    void put_array(const std::vector<T>& values) {
        bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
    std::string& bytes() { return bytes_; }

  private:
    std::string bytes_;
};

// Bounds-checked reader; any overrun throws DataError, reported as a corrupt cache.
class Reader {
  public:
    Reader(const char* data, size_t size) : data_(data), size_(size) {}
    template <typename T>
    T get() {
        T value;
        std::memcpy(&value, take(sizeof value), sizeof value);
        return value;
    }
    std::string get_string() {
        const auto length = get<uint64_t>();
        return std::string(take(length), length);
    }
    const char* take(uint64_t count) {
        if (count > size_ - position_) {
            throw DataError("structure overruns the payload at offset " +
                            std::to_string(position_));
        }
        const char* at = data_ + position_;
        position_ += count;
        return at;
    }
    bool at_end() const { return position_ == size_; }
    size_t remaining() const { return size_ - position_; }

  private:
    const char* data_;
    size_t size_;
    size_t position_ = 0;
};

void write_split(Writer& out, const std::vector<Example>& examples) {
    int32_t largest = 0, smallest = 0;
    for (const auto& e : examples) {
        for (const auto* tokens : {&e.tokens, &e.tokens2}) {
            for (int32_t id : *tokens) {
                largest = std::max(largest, id);
                smallest = std::min(smallest, id);
            }
        }
    }
    const uint8_t width = smallest < 0 ? 4 : largest < 256 ? 1 : largest < 65536 ? 2 : 4;
    out.put<uint64_t>(examples.size());
    out.put<uint8_t>(width);
    for (const auto& e : examples) {
        out.put<int32_t>(e.label);
    }
    for (const auto& e : examples) {
        out.put<uint32_t>(static_cast<uint32_t>(e.tokens.size()));
    }
    for (const auto& e : examples) {
        out.put<uint32_t>(static_cast<uint32_t>(e.tokens2.size()));
    }
    for (bool second : {false, true}) {
        for (const auto& e : examples) {
            for (int32_t id : second ? e.tokens2 : e.tokens) {
                if (width == 1) {
                    out.put<uint8_t>(static_cast<uint8_t>(id));
                } else if (width == 2) {
                    out.put<uint16_t>(static_cast<uint16_t>(id));
                } else {
                    out.put<int32_t>(id);
                }
            }
        }
    }
}

void read_tokens(Reader& in, uint8_t width, uint32_t count, std::vector<int32_t>& out) {
    const char* bytes = in.take(static_cast<uint64_t>(count) * width);
    out.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        if (width == 1) {
            out[i] = static_cast<unsigned char>(bytes[i]);
        } else if (width == 2) {
            uint16_t id;
            std::memcpy(&id, bytes + 2 * i, 2);
            out[i] = id;
        } else {
            std::memcpy(&out[i], bytes + 4 * i, 4);
        }
    }
}

std::vector<Example> read_split(Reader& in) {
    const auto count = in.get<uint64_t>();
    const auto width = in.get<uint8_t>();
    if (width != 1 && width != 2 && width != 4) {
        throw DataError("bad token width " + std::to_string(width));
    }
    // Each example needs at least 12 bytes, which bounds the allocation below.
    if (count > in.remaining() / 12) {
        throw DataError("example count " + std::to_string(count) + " exceeds the payload");
    }
    const char* labels = in.take(count * 4);
    const char* lengths = in.take(count * 4);
    const char* lengths2 = in.take(count * 4);
    std::vector<Example> examples(count);
    for (uint64_t i = 0; i < count; ++i) {
        std::memcpy(&examples[i].label, labels + 4 * i, 4);
    }
    for (bool second : {false, true}) {
        for (uint64_t i = 0; i < count; ++i) {
            uint32_t length;
            std::memcpy(&length, (second ? lengths2 : lengths) + 4 * i, 4);
            read_tokens(in, width, length, second ? examples[i].tokens2 : examples[i].tokens);
        }
    }
    return examples;
}

CacheReadResult fail(CacheStatus status, std::string message) {
    CacheReadResult result;
    result.status = status;
    result.message = std::move(message);
    return result;
}

}  // namespace

namespace {

// Checks the header against the file size and checksums; returns an empty string when valid.
std::string header_problem(const std::string& file) {
    if (file.size() < kHeaderBytes) {
        return "file has " + std::to_string(file.size()) + " bytes, expected at least a " +
               std::to_string(kHeaderBytes) + "-byte header";
    }
    if (std::memcmp(file.data(), kMagic, sizeof kMagic) != 0) return "not a landmark data cache";
    Reader header(file.data(), kHeaderBytes);
    header.take(sizeof kMagic);
    const auto version = header.get<uint32_t>();
    header.get<uint32_t>();
    const auto payload_bytes = header.get<uint64_t>();
    const auto payload_crc = header.get<uint32_t>();
    const auto header_crc = header.get<uint32_t>();
    if (header_crc != crc32_of(file.data(), kHeaderBytes - 4)) return "header checksum mismatch";
    if (version != kCacheFormatVersion) {
        return "format version " + std::to_string(version) + ", expected " +
               std::to_string(kCacheFormatVersion);
    }
    if (payload_bytes != file.size() - kHeaderBytes) {
        return "file has " + std::to_string(file.size()) + " bytes, header says " +
               std::to_string(payload_bytes + kHeaderBytes);
    }
    if (payload_crc != crc32_of(file.data() + kHeaderBytes, payload_bytes)) {
        return "payload checksum mismatch";
    }
    return "";
}

bool read_whole_file(const std::string& path, std::string& bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return false;
    const std::streamoff size = in.tellg();
    if (size < 0) return false;
    bytes.resize(static_cast<size_t>(size));
    in.seekg(0);
    return static_cast<bool>(in.read(bytes.data(), size));
}

}  // namespace

CacheReadResult read_cache(const std::string& path, const std::string& expected_fingerprint) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return fail(CacheStatus::Missing, "no file");
    std::string file;
    if (!read_whole_file(path, file)) return fail(CacheStatus::Corrupt, "cannot read the file");
    if (auto problem = header_problem(file); !problem.empty()) {
        return fail(CacheStatus::Corrupt, problem);
    }
    try {
        Reader in(file.data() + kHeaderBytes, file.size() - kHeaderBytes);
        CacheReadResult result;
        result.dataset.fingerprint = in.get_string();
        if (result.dataset.fingerprint != expected_fingerprint) {
            return fail(CacheStatus::Foreign, "built from other options or sources");
        }
        result.dataset.meta = nlohmann::json::parse(in.get_string());
        for (auto& split : result.dataset.splits) {
            split = read_split(in);
        }
        if (!in.at_end()) throw DataError("unexpected bytes after the last split");
        result.status = CacheStatus::Ok;
        return result;
    } catch (const std::exception& e) {  // DataError, json parse errors, bad_alloc
        return fail(CacheStatus::Corrupt, e.what());
    }
}

void write_cache(const std::string& path, const CachedDataset& dataset) {
    Writer payload;
    payload.put_string(dataset.fingerprint);
    payload.put_string(dataset.meta.dump());
    for (const auto& split : dataset.splits) {
        write_split(payload, split);
    }

    Writer header;
    header.bytes().append(kMagic, sizeof kMagic);
    header.put<uint32_t>(kCacheFormatVersion);
    header.put<uint32_t>(0);
    header.put<uint64_t>(payload.bytes().size());
    header.put<uint32_t>(crc32_of(payload.bytes().data(), payload.bytes().size()));
    header.put<uint32_t>(crc32_of(header.bytes().data(), header.bytes().size()));

    std::error_code error;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    // A per-process temporary name, so concurrent writers never interleave; rename is atomic.
    try {
        write_file_atomic(path, [&](FileWriter& out) {
            out.write(header.bytes().data(), header.bytes().size());
            out.write(payload.bytes().data(), payload.bytes().size());
        });
    } catch (const Error& e) {
        throw DataError(path + ": cannot write the data cache: " + e.what());
    }
}

std::string cache_path(const std::string& dir,
                       const std::string& task,
                       const std::string& fingerprint) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(fnv1a64(fingerprint)));
    return dir + "/" + task + "-" + hex + ".lmcache";
}

}  // namespace lm::data
