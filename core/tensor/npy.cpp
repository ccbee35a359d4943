#include "core/tensor/npy.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/ops/elementwise.h"

namespace lm {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

struct NpyHeader {
    std::string descr;
    bool fortran_order = false;
    Shape shape;
};

// A tiny strict parser for the header dict: {'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }.
class HeaderParser {
  public:
    HeaderParser(const std::string& text, const std::string& what) : s_(text), what_(what) {}

    NpyHeader parse() {
        NpyHeader h;
        bool has_descr = false, has_order = false, has_shape = false;
        expect('{');
        while (true) {
            skip_space();
            if (peek() == '}') break;
            const std::string key = quoted();
            expect(':');
            if (key == "descr") {
                h.descr = quoted();
                has_descr = true;
            } else if (key == "fortran_order") {
                h.fortran_order = boolean();
                has_order = true;
            } else if (key == "shape") {
                h.shape = tuple();
                has_shape = true;
            } else {
                fail("unknown header key '" + key + "'");
            }
            skip_space();
            if (peek() == ',') ++pos_;
        }
        if (!has_descr || !has_order || !has_shape)
            fail("header lacks descr, fortran_order or shape");
        return h;
    }

  private:
    [[noreturn]] void fail(const std::string& msg) const {
        throw Error(what_ + ": bad .npy header (" + msg + ") in: " + s_);
    }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t'))
            ++pos_;
    }
    char peek() {
        if (pos_ >= s_.size()) fail("unexpected end");
        return s_[pos_];
    }
    void expect(char c) {
        skip_space();
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    std::string quoted() {
        skip_space();
        const char q = peek();
        if (q != '\'' && q != '"') fail("expected a quoted string");
        const size_t end = s_.find(q, pos_ + 1);
        if (end == std::string::npos) fail("unterminated string");
        std::string out = s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        return out;
    }
    bool boolean() {
        skip_space();
        if (s_.compare(pos_, 4, "True") == 0) {
            pos_ += 4;
            return true;
        }
        if (s_.compare(pos_, 5, "False") == 0) {
            pos_ += 5;
            return false;
        }
        fail("expected True or False");
    }
    Shape tuple() {
        expect('(');
        std::vector<int64_t> dims;
        while (true) {
            skip_space();
            if (peek() == ')') break;
            size_t used = 0;
            long long v = 0;
            try {
                v = std::stoll(s_.substr(pos_, 24), &used);
            } catch (const std::exception&) {
                fail("expected an integer dimension");
            }
            if (v < 0) fail("negative dimension");
            dims.push_back(v);
            pos_ += used;
            skip_space();
            if (peek() == ',') ++pos_;
        }
        ++pos_;
        if (dims.size() > static_cast<size_t>(kMaxDims)) fail("too many dimensions");
        return Shape(dims);
    }

    const std::string& s_;
    std::string what_;
    size_t pos_ = 0;
};

struct DescrInfo {
    DType dtype;
    bool swap;
};

DescrInfo parse_descr(const std::string& d, const std::string& what) {
    LM_CHECK(d.size() >= 3, what, ": unsupported .npy dtype '", d, "'");
    const char order = d[0];
    const std::string code = d.substr(1);
    LM_CHECK(order == '<' || order == '>' || order == '|' || order == '=', what,
             ": unsupported byte order in dtype '", d, "'");
    const bool swap = order == '>';
    if (code == "f4") return {DType::Float32, swap};
    if (code == "f8") return {DType::Float64, swap};
    if (code == "i4") return {DType::Int32, swap};
    if (code == "i8") return {DType::Int64, swap};
    if (code == "b1") return {DType::Bool, false};
    if (code == "f2") return {DType::Float16, swap};
    if (code == "V2") return {DType::BFloat16, swap};
    LM_CHECK(false, what, ": unsupported .npy dtype '", d,
             "'; expected float32/64, int32/64, bool, float16 or bfloat16");
}

std::string descr_of(DType t) {
    switch (t) {
        case DType::Float32:
            return "<f4";
        case DType::Float64:
            return "<f8";
        case DType::Int32:
            return "<i4";
        case DType::Int64:
            return "<i8";
        case DType::Bool:
            return "|b1";
        case DType::Float16:
            return "<f2";
        case DType::BFloat16:
            return "<V2";
    }
    return "";
}

void byteswap(char* data, size_t n, size_t esize) {
    for (size_t i = 0; i < n; ++i) {
        char* e = data + i * esize;
        for (size_t a = 0, b = esize - 1; a < b; ++a, --b)
            std::swap(e[a], e[b]);
    }
}

}  // namespace

Tensor parse_npy(const std::string& bytes, const std::string& what) {
    LM_CHECK(bytes.size() >= kMagicLen + 4 && std::memcmp(bytes.data(), kMagic, kMagicLen) == 0,
             what, ": not a .npy file (bad magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    LM_CHECK(major >= 1 && major <= 3, what, ": unsupported .npy version ", major);
    size_t header_len = 0, pos = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9])
                                                                << 8;
        pos = 10;
    } else {
        LM_CHECK(bytes.size() >= 12, what, ": truncated .npy header");
        for (int i = 0; i < 4; ++i)
            header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
        pos = 12;
    }
    LM_CHECK(header_len <= bytes.size() - pos, what, ": .npy header length ", header_len,
             " runs past the end of the file (", bytes.size(), " bytes)");
    const NpyHeader h = HeaderParser(bytes.substr(pos, header_len), what).parse();
    pos += header_len;
    const DescrInfo info = parse_descr(h.descr, what);
    const size_t esize = dtype_size(info.dtype);
    // A shape whose byte count overflows must not wrap around to a size that matches the data.
    // The product of the non-zero sizes (the strides of an empty tensor) must fit as well.
    uint64_t expected = esize, span = esize;
    for (int64_t d : h.shape) {
        const auto extent = static_cast<uint64_t>(std::max<int64_t>(d, 1));
        LM_CHECK(span <= (uint64_t{1} << 62) / extent, what, ": .npy shape ", h.shape.str(),
                 " is too large");
        span *= extent;
        expected *= static_cast<uint64_t>(d);
    }
    LM_CHECK(expected == bytes.size() - pos, what, ": .npy data holds ", bytes.size() - pos,
             " bytes but shape ", h.shape.str(), " of ", h.descr, " needs ", expected);
    Shape storage_shape = h.shape;
    if (h.fortran_order) {  // column-major: read as the reversed shape, then transpose back
        std::vector<int64_t> rev(h.shape.begin(), h.shape.end());
        std::reverse(rev.begin(), rev.end());
        storage_shape = Shape(rev);
    }
    Tensor t = empty(storage_shape, info.dtype);
    std::memcpy(t.raw_data(), bytes.data() + pos, static_cast<size_t>(expected));
    if (info.swap) byteswap(static_cast<char*>(t.raw_data()), t.numel(), esize);
    if (info.dtype == DType::Bool) {  // any byte but 0 or 1 would be an invalid bool
        const auto* b = static_cast<const unsigned char*>(t.raw_data());
        for (int64_t i = 0; i < t.numel(); ++i) {
            LM_CHECK(b[i] <= 1, what, ": bool element ", i, " holds byte ", int(b[i]),
                     ", expected 0 or 1");
        }
    }
    if (h.fortran_order && t.dim() > 1) {
        Dims order;
        for (int d = t.dim() - 1; d >= 0; --d)
            order.push_back(d);
        t = ops::contiguous(t.permute(order));
    }
    return t;
}

Tensor load_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    LM_CHECK(in, path, ": cannot open file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_npy(ss.str(), path);
}

std::string serialize_npy(const Tensor& t_in) {
    const Tensor t = ops::contiguous(t_in.detach().to(Device::cpu()));
    std::string dict =
        "{'descr': '" + descr_of(t.dtype()) + "', 'fortran_order': False, 'shape': (";
    for (int d = 0; d < t.dim(); ++d)
        dict += std::to_string(t.size(d)) + (t.dim() == 1 ? "," : (d + 1 < t.dim() ? ", " : ""));
    dict += "), }";
    // pad with spaces so that magic + version + length + header is a multiple of 64, ending in \n
    const size_t unpadded = kMagicLen + 2 + 2 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string out(kMagic, kMagicLen);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>((dict.size() >> 8) & 0xff);
    out += dict;
    out.append(static_cast<const char*>(t.raw_data()), t.nbytes());
    return out;
}

void save_npy(const std::string& path, const Tensor& t) {
    write_text_atomic(path, serialize_npy(t));
}

}  // namespace lm
