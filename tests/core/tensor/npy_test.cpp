// .npy files: round trips for every dtype (through bytes and through files), layouts NumPy
// writes that we read (version 2 headers, big-endian data, Fortran order), and rejection of bad
// files with the file named in the message.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/tensor/npy.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

// A path in the build tree, unique per test.
std::string temp_path(const std::string& name) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string(LANDMARK_BINARY_DIR) + "/npy_test_" + info->name() + "_" + name;
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A version 1.0 file with the given header dict (padded as NumPy pads it) and raw data.
std::string npy_bytes(const std::string& dict, const std::string& data, int version = 1) {
    std::string header = dict;
    const size_t prefix = version == 1 ? 10 : 12;
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(version);
    out += '\0';
    const size_t n = header.size();
    for (size_t i = 0; i < (version == 1 ? 2u : 4u); ++i)
        out += static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header + data;
}

template <class T>
std::string raw(const std::vector<T>& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

void expect_same(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.dtype(), b.dtype());
    EXPECT_EQ(a.shape(), b.shape());
    EXPECT_TRUE(testing::bitwise_equal(a, b)) << a.str();
}

TEST(Npy, RoundTripEveryDtype) {
    const Tensor base = tensor({0, 1.5, -2.25, 3, 1e-3, -7, 65504, 0.1, 1, -0.5, 2, 100})
                            .to(DType::Float64)
                            .view({3, 4});
    for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::Bool,
                     DType::Float16, DType::BFloat16}) {
        const Tensor t = base.to(dt);
        expect_same(parse_npy(serialize_npy(t), "mem"), t);
        const std::string path = temp_path(dtype_name(dt) + std::string(".npy"));
        save_npy(path, t);
        expect_same(load_npy(path), t);
        std::remove(path.c_str());
        // a non-contiguous view is written in logical (row-major) order
        expect_same(parse_npy(serialize_npy(t.mT()), "mem"), t.mT().contiguous());
    }
}

TEST(Npy, RoundTripShapes) {
    for (const Shape& s : {Shape{}, Shape{0}, Shape{5}, Shape{1, 1}, Shape{2, 0, 3},
                           Shape{1, 2, 1, 3, 1, 2, 1, 2}}) {
        const Tensor t = testing::random_tensor(s, 1, DType::Float32);
        const std::string bytes = serialize_npy(t);
        EXPECT_EQ((bytes.size() - t.nbytes()) % 64, 0u) << "header not padded to 64 bytes";
        expect_same(parse_npy(bytes, "mem"), t);
    }
    // the header NumPy itself would write for a 1-D array
    const std::string bytes = serialize_npy(arange(3, {DType::Int32}));
    EXPECT_NE(bytes.find("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"),
              std::string::npos);
}

TEST(Npy, ReadsNumpyVariants) {
    // version 2.0 header (4-byte length)
    expect_same(parse_npy(npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                                    raw(std::vector<double>{1.5, -2}), 2),
                          "v2"),
                tensor({1.5, -2}, {DType::Float64}));
    // big-endian int32 [1, 256]
    const std::string be("\x00\x00\x00\x01\x00\x00\x01\x00", 8);
    EXPECT_EQ(
        parse_npy(npy_bytes("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", be), "be")
            .to_vector<int32_t>(),
        (std::vector<int32_t>{1, 256}));
    // Fortran order: column-major [2, 3] holding 0..5 by columns
    const Tensor f =
        parse_npy(npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                            raw(std::vector<float>{0, 3, 1, 4, 2, 5})),
                  "fortran");
    EXPECT_EQ(f.shape(), Shape({2, 3}));
    testing::expect_values(f, {0, 1, 2, 3, 4, 5});
    // key order and spacing are free, double quotes allowed, 0-d shape ()
    const Tensor s = parse_npy(npy_bytes("{\"shape\":(),\"fortran_order\":False,\"descr\":\"<i8\"}",
                                         raw(std::vector<int64_t>{42})),
                               "scalar");
    EXPECT_EQ(s.dim(), 0);
    EXPECT_EQ(s.item(), 42.0);
    // bool '|b1'
    EXPECT_EQ(parse_npy(npy_bytes("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                                  std::string("\x01\x00\x01", 3)),
                        "bool")
                  .to_vector<int32_t>(),
              (std::vector<int32_t>{1, 0, 1}));
}

// Each bad file must be rejected with an lm::Error naming the file and the problem.
void expect_rejected(const std::string& bytes, const std::string& problem) {
    const std::string path = temp_path(std::to_string(std::hash<std::string>{}(bytes)) + ".npy");
    write_file(path, bytes);
    try {
        load_npy(path);
        ADD_FAILURE() << "accepted a file with " << problem;
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find(problem), std::string::npos) << msg;
    }
    std::remove(path.c_str());
}

TEST(Npy, RejectsBadFiles) {
    const std::string good = serialize_npy(tensor({1, 2, 3}));
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
    const std::string data = raw(std::vector<float>{1, 2, 3});
    expect_rejected("\x93NUMPZ" + good.substr(6), "bad magic");
    expect_rejected("", "bad magic");
    expect_rejected("\x93NUM", "bad magic");
    expect_rejected(good.substr(0, good.size() - 1), "needs 12");  // truncated data
    expect_rejected(good + "xxxx", "needs 12");                    // trailing bytes
    expect_rejected(good.substr(0, 40), "past the end");           // header cut short
    std::string long_header = good;
    long_header[8] = '\xff';
    long_header[9] = '\x7f';
    expect_rejected(long_header, "past the end");  // length past EOF
    expect_rejected(npy_bytes("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", data),
                    "unsupported .npy dtype '<c8'");
    expect_rejected(npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", data),
                    "unsupported");
    expect_rejected(npy_bytes("{'descr': 'f4', 'fortran_order': False, 'shape': (3,), }", data),
                    "dtype");
    expect_rejected(npy_bytes("hello world", data), "bad .npy header");
    expect_rejected(npy_bytes("{'descr': '<f4', 'shape': (3,), }", data), "lacks");
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3,), }", data),
                    "True or False");
    expect_rejected(
        npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}", data),
        "unknown header key");
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }", data),
                    "integer");
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", data),
                    "negative");
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,", data),
                    "bad .npy header");
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                              "(1,1,1,1,1,1,1,1,3), }",
                              data),
                    "too many dimensions");
    expect_rejected(npy_bytes(dict, data, 9), "version 9");
    // a shape whose element count overflows 64 bits must not wrap around to match the data
    expect_rejected(npy_bytes("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (4611686018427387904, 4), }",
                              ""),
                    "too large");
    expect_rejected(npy_bytes("{'descr': '<f8', 'fortran_order': False, "
                              "'shape': (2305843009213693952, 2305843009213693952, 4), }",
                              ""),
                    "too large");
    // a missing file is named too
    const std::string missing = temp_path("missing.npy");
    try {
        load_npy(missing);
        ADD_FAILURE() << "loaded a missing file";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace lm
