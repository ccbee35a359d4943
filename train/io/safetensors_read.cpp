// Reading safetensors files as untrusted input: everything in the header is validated against
// the file before any tensor data is read.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/io/safetensors.h"

namespace lm::train {

namespace {
using Json = nlohmann::ordered_json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's limit

struct Entry {
    std::string name;
    DType dtype;
    Shape shape;
    uint64_t begin, end;  // within the data section
};

std::string where(const std::string& path, const std::string& tensor = "") {
    std::string s = "safetensors file '" + path + "'";
    return tensor.empty() ? s + ": " : s + ": tensor '" + tensor + "': ";
}

// Whether `v` nests at most `depth` levels (bounded recursion: dump() of a deeply nested value
// would overflow the stack).
bool shallow(const Json& v, int depth) {
    if (!v.is_structured()) return true;
    if (depth == 0) return false;
    for (const Json& c : v) {
        if (!shallow(c, depth - 1)) return false;
    }
    return true;
}

// A value for an error message: its JSON when short and shallow, else an excerpt.
std::string brief(const Json& v) {
    if (!shallow(v, 4)) return std::string("a deeply nested ") + v.type_name();
    std::string s = v.dump();
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return s;
}

// Reads exactly n bytes at an offset of the source into dst, or throws.
using ReadAt = std::function<void(void* dst, uint64_t n, uint64_t offset)>;

// Reads exactly n bytes at `offset` of a file.
void read_fd(int fd, const std::string& path, void* dst, uint64_t n, uint64_t offset) {
    char* p = static_cast<char*>(dst);
    while (n > 0) {
        const ssize_t k = ::pread(fd, p, n, static_cast<off_t>(offset));
        if (k < 0 && errno == EINTR) continue;
        LM_CHECK(k > 0, where(path), "read failed at byte ", offset, ": ",
                 k == 0 ? "unexpected end of file" : std::strerror(errno));
        p += k;
        n -= static_cast<uint64_t>(k);
        offset += static_cast<uint64_t>(k);
    }
}

// A JSON integer as uint64, or an error naming the field; negative values are an error.
uint64_t as_count(const std::string& path,
                  const std::string& name,
                  const Json& v,
                  const char* field) {
    LM_CHECK(v.is_number_integer(), where(path, name), field, " must hold integers, got ",
             brief(v));
    LM_CHECK(v.is_number_unsigned(), where(path, name), field, " must not be negative, got ",
             brief(v));
    return v.get<uint64_t>();
}

Shape parse_shape(const std::string& path, const std::string& name, const Json& v) {
    LM_CHECK(v.is_array(), where(path, name), "shape must be an array, got ", brief(v));
    LM_CHECK(v.size() <= static_cast<size_t>(kMaxDims), where(path, name), "shape has ", v.size(),
             " dims; at most ", kMaxDims, " are supported");
    Shape shape;
    uint64_t span = 1;  // product of the non-zero sizes: numel, and the strides of empty tensors
    for (const Json& d : v) {
        const uint64_t n = as_count(path, name, d, "shape");
        LM_CHECK(n <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) &&
                     !__builtin_mul_overflow(span, std::max<uint64_t>(n, 1), &span) &&
                     span <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
                 where(path, name), "shape ", brief(v), " has too many elements");
        shape.push_back(static_cast<int64_t>(n));
    }
    return shape;
}

Entry parse_entry(const std::string& path,
                  const std::string& name,
                  const Json& info,
                  uint64_t data_size) {
    LM_CHECK(!name.empty(), where(path), "empty tensor name");
    LM_CHECK(info.is_object(), where(path, name), "entry must be an object, got ", brief(info));
    for (const auto& [key, value] : info.items()) {
        LM_CHECK(key == "dtype" || key == "shape" || key == "data_offsets", where(path, name),
                 "unknown field '", key, "'");
    }
    LM_CHECK(info.contains("dtype") && info.contains("shape") && info.contains("data_offsets"),
             where(path, name), "entry needs dtype, shape and data_offsets");
    const Json& dt = info["dtype"];
    LM_CHECK(dt.is_string(), where(path, name), "dtype must be a string, got ", brief(dt));
    Entry e{name, DType::Float32, parse_shape(path, name, info["shape"]), 0, 0};
    try {
        e.dtype = safetensors_dtype_from_name(dt.get<std::string>());
    } catch (const Error& err) {
        LM_CHECK(false, where(path, name), err.what());
    }
    const Json& off = info["data_offsets"];
    LM_CHECK(off.is_array() && off.size() == 2, where(path, name),
             "data_offsets must be [begin, end], got ", brief(off));
    e.begin = as_count(path, name, off[0], "data_offsets");
    e.end = as_count(path, name, off[1], "data_offsets");
    LM_CHECK(e.begin <= e.end && e.end <= data_size, where(path, name), "data_offsets [", e.begin,
             ", ", e.end, "] lie outside the data section of ", data_size, " bytes");
    uint64_t nbytes = 0;
    LM_CHECK(!__builtin_mul_overflow(static_cast<uint64_t>(e.shape.numel()),
                                     static_cast<uint64_t>(dtype_size(e.dtype)), &nbytes) &&
                 nbytes == e.end - e.begin,
             where(path, name), "data_offsets [", e.begin, ", ", e.end, "] hold ", e.end - e.begin,
             " bytes, but ", dt.get<std::string>(), " ", e.shape.str(), " needs ", nbytes);
    return e;
}

std::map<std::string, std::string> parse_metadata(const std::string& path, const Json& v) {
    LM_CHECK(v.is_object(), where(path), "__metadata__ must be an object of strings");
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : v.items()) {
        LM_CHECK(value.is_string(), where(path), "__metadata__ value of '", key,
                 "' must be a string, got ", brief(value));
        out[key] = value.get<std::string>();
    }
    return out;
}

// Entries sorted by offset must tile [0, data_size) exactly: no gap, no overlap.
void check_layout(const std::string& path, std::vector<Entry>& entries, uint64_t data_size) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    uint64_t pos = 0;
    for (const Entry& e : entries) {
        LM_CHECK(e.begin >= pos, where(path, e.name), "data_offsets [", e.begin, ", ", e.end,
                 "] overlap the previous tensor's bytes (ending at ", pos, ")");
        LM_CHECK(e.begin == pos, where(path, e.name), "data_offsets [", e.begin, ", ", e.end,
                 "] leave the bytes [", pos, ", ", e.begin, ") unused");
        pos = e.end;
    }
    LM_CHECK(pos == data_size, where(path), "the tensors cover ", pos, " bytes but the data ",
             "section holds ", data_size, " (trailing or truncated data)");
}

struct Header {
    std::vector<Entry> entries;
    std::map<std::string, std::string> metadata;
    uint64_t data_start = 0;
};

Header read_header(const ReadAt& read_at, const std::string& path, uint64_t file_size) {
    LM_CHECK(file_size >= 8, where(path), "file of ", file_size,
             " bytes is too short for the 8-byte header length");
    uint64_t n = 0;
    read_at(&n, 8, 0);
    LM_CHECK(n <= file_size - 8, where(path), "header length ", n, " runs past the end of the ",
             file_size, "-byte file");
    LM_CHECK(n <= kMaxHeaderBytes, where(path), "header length ", n, " exceeds the limit of ",
             kMaxHeaderBytes, " bytes");
    std::string text(n, '\0');
    read_at(text.data(), n, 8);
    Json json;
    try {
        json = Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        LM_CHECK(false, where(path), "the header is not valid JSON: ", e.what());
    }
    LM_CHECK(json.is_object(), where(path), "the header must be a JSON object");
    Header h;
    h.data_start = 8 + n;
    const uint64_t data_size = file_size - h.data_start;
    for (const auto& [name, info] : json.items()) {
        if (name == "__metadata__") {
            h.metadata = parse_metadata(path, info);
        } else {
            h.entries.push_back(parse_entry(path, name, info, data_size));
        }
    }
    check_layout(path, h.entries, data_size);
    return h;
}

Tensor read_tensor(const ReadAt& read_at,
                   const std::string& path,
                   const Entry& e,
                   uint64_t data_start) {
    Tensor t = empty(e.shape, e.dtype);
    if (e.end == e.begin) return t;
    read_at(t.raw_data(), e.end - e.begin, data_start + e.begin);
    if (e.dtype == DType::Bool) {  // any other byte would be undefined behaviour as a bool
        const auto* b = static_cast<const unsigned char*>(t.raw_data());
        for (int64_t i = 0; i < t.numel(); ++i) {
            LM_CHECK(b[i] <= 1, where(path, e.name), "BOOL element ", i, " has byte value ",
                     int(b[i]));
        }
    }
    return t;
}

// Closes the descriptor on every path out of load_safetensors.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

SafetensorsFile read_all(const ReadAt& read_at, const std::string& path, uint64_t size) {
    const Header h = read_header(read_at, path, size);
    SafetensorsFile out;
    out.metadata = h.metadata;
    for (const Entry& e : h.entries) {
        out.tensors.emplace_back(e.name, read_tensor(read_at, path, e, h.data_start));
    }
    return out;
}
}  // namespace

SafetensorsFile load_safetensors(const std::string& path) {
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    LM_CHECK(f.fd >= 0, where(path), "cannot open: ", std::strerror(errno));
    struct stat st {};
    LM_CHECK(::fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode), where(path),
             "not a readable regular file");
    const ReadAt read_at = [&](void* dst, uint64_t n, uint64_t offset) {
        read_fd(f.fd, path, dst, n, offset);
    };
    return read_all(read_at, path, static_cast<uint64_t>(st.st_size));
}

SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& what) {
    const ReadAt read_at = [&](void* dst, uint64_t n, uint64_t offset) {
        LM_CHECK(offset <= bytes.size() && n <= bytes.size() - offset, where(what),
                 "read past the end at byte ", offset);
        if (n > 0) std::memcpy(dst, bytes.data() + offset, n);
    };
    return read_all(read_at, what, bytes.size());
}

}  // namespace lm::train
