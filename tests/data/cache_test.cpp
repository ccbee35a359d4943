#include "data/cache.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

#include "core/base/xoshiro.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

CachedDataset sample_dataset() {
    CachedDataset d;
    d.fingerprint = R"({"task":"demo"})";
    d.meta = {{"labels", {"a", "b"}}};
    d.splits[0] = {{{2, 3, 200}, {}, 1}, {{}, {}, 0}, {{5}, {}, 1}};  // 1-byte ids
    d.splits[1] = {{{300, 2}, {7, 8, 9}, 0}};                         // 2-byte ids, paired
    d.splits[2] = {{{70000, -3}, {}, 4}};                             // 4-byte ids
    return d;
}

class CacheTest : public ::testing::Test {
  protected:
    std::string path() const { return dir_.file("demo.lmcache"); }
    std::string bytes() const { return testing::read_file(path()); }
    void put(const std::string& bytes) const { testing::write_file(path(), bytes); }
    // Rewrites a header field and fixes the header checksum, so only the field is wrong.
    void patch_header(size_t offset, const void* value, size_t size) const {
        std::string b = bytes();
        std::memcpy(b.data() + offset, value, size);
        const auto crc =
            static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(b.data()), 28));
        std::memcpy(b.data() + 28, &crc, 4);
        put(b);
    }
    CacheStatus status() const { return read_cache(path(), sample_dataset().fingerprint).status; }

    testing::TempDir dir_;
};

TEST_F(CacheTest, RoundTripsEveryTokenWidth) {
    write_cache(path(), sample_dataset());
    const auto result = read_cache(path(), sample_dataset().fingerprint);
    ASSERT_EQ(result.status, CacheStatus::Ok) << result.message;
    EXPECT_EQ(result.dataset.meta, sample_dataset().meta);
    for (size_t s = 0; s < 3; ++s) {
        EXPECT_EQ(result.dataset.splits[s], sample_dataset().splits[s]);
    }
}

TEST_F(CacheTest, MissingAndForeignFiles) {
    EXPECT_EQ(status(), CacheStatus::Missing);
    write_cache(path(), sample_dataset());
    const auto foreign = read_cache(path(), R"({"task":"other"})");
    EXPECT_EQ(foreign.status, CacheStatus::Foreign);
    EXPECT_EQ(foreign.message, "built from other options or sources");
}

TEST_F(CacheTest, CorruptFilesAreDetected) {
    write_cache(path(), sample_dataset());
    const std::string good = bytes();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good.substr(0, 10), "file has 10 bytes, expected at least a 32-byte header"},
        {good.substr(0, good.size() - 1), "file has " + std::to_string(good.size() - 1) +
                                              " bytes, header says " + std::to_string(good.size())},
        {good + "x", "file has " + std::to_string(good.size() + 1) + " bytes, header says " +
                         std::to_string(good.size())},
        {"NOTACACHE" + good.substr(9), "not a landmark data cache"},
    };
    for (const auto& [content, message] : cases) {
        put(content);
        const auto result = read_cache(path(), sample_dataset().fingerprint);
        EXPECT_EQ(result.status, CacheStatus::Corrupt);
        EXPECT_EQ(result.message, message);
    }
    std::string flipped = good;
    flipped[good.size() - 3] ^= 0x40;  // a token byte
    put(flipped);
    EXPECT_EQ(read_cache(path(), sample_dataset().fingerprint).message,
              "payload checksum mismatch");
    flipped = good;
    flipped[17] ^= 1;  // payload size field
    put(flipped);
    EXPECT_EQ(read_cache(path(), sample_dataset().fingerprint).message, "header checksum mismatch");
}

TEST_F(CacheTest, OtherFormatVersionsAreNotRead) {
    write_cache(path(), sample_dataset());
    const uint32_t version = kCacheFormatVersion + 1;
    patch_header(8, &version, 4);
    const auto result = read_cache(path(), sample_dataset().fingerprint);
    EXPECT_EQ(result.status, CacheStatus::Corrupt);
    EXPECT_EQ(result.message, "format version " + std::to_string(version) + ", expected " +
                                  std::to_string(kCacheFormatVersion));
}

TEST_F(CacheTest, BadStructureWithValidChecksumsIsCorruptNotACrash) {
    // Payload with a huge example count and consistent checksums.
    std::string payload;
    const std::string fingerprint = sample_dataset().fingerprint;
    const uint64_t length = fingerprint.size(), meta_length = 2, count = uint64_t{1} << 61;
    payload.append(reinterpret_cast<const char*>(&length), 8);
    payload += fingerprint;
    payload.append(reinterpret_cast<const char*>(&meta_length), 8);
    payload += "{}";
    payload.append(reinterpret_cast<const char*>(&count), 8);
    payload += '\x02';
    payload += std::string(64, '\0');
    write_cache(path(), sample_dataset());
    std::string file = bytes().substr(0, 32) + payload;
    const uint64_t payload_size = payload.size();
    std::memcpy(file.data() + 16, &payload_size, 8);
    const auto payload_crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(payload.data()), payload.size()));
    std::memcpy(file.data() + 24, &payload_crc, 4);
    put(file);
    patch_header(16, &payload_size, 8);
    const auto result = read_cache(path(), fingerprint);
    EXPECT_EQ(result.status, CacheStatus::Corrupt);
    EXPECT_NE(result.message.find("exceeds the payload"), std::string::npos) << result.message;
}

TEST_F(CacheTest, RandomGarbageNeverCrashes) {
    write_cache(path(), sample_dataset());
    const std::string good = bytes();
    Rng rng(9);
    for (int trial = 0; trial < 300; ++trial) {
        std::string damaged = good;
        const int flips = 1 + static_cast<int>(rng.below(4));
        for (int f = 0; f < flips; ++f) {
            damaged[rng.below(damaged.size())] ^= static_cast<char>(1 + rng.below(255));
        }
        if (rng.bit()) damaged.resize(rng.below(damaged.size()));
        put(damaged);
        EXPECT_NE(status(), CacheStatus::Ok);
    }
}

TEST(CachePath, NamesTaskAndFingerprintHash) {
    const std::string a = cache_path("/c", "listops", "{}");
    EXPECT_EQ(a.rfind("/c/listops-", 0), 0u);
    EXPECT_EQ(a.size(), std::string("/c/listops-").size() + 16 + std::string(".lmcache").size());
    EXPECT_NE(a, cache_path("/c", "listops", "{ }"));
}

}  // namespace
}  // namespace lm::data
