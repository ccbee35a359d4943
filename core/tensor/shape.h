// Shape and strides: small fixed-capacity vectors of int64 (no heap traffic per op).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace lm {

inline constexpr int kMaxDims = 8;

class Dims {
  public:
    Dims() = default;
    Dims(std::initializer_list<int64_t> v);
    explicit Dims(const std::vector<int64_t>& v);
    static Dims filled(int n, int64_t value);

    int size() const { return n_; }
    bool empty() const { return n_ == 0; }
    int64_t operator[](int i) const { return d_[i]; }
    int64_t& operator[](int i) { return d_[i]; }
    int64_t back() const { return d_[n_ - 1]; }
    const int64_t* begin() const { return d_.data(); }
    const int64_t* end() const { return d_.data() + n_; }
    const int64_t* data() const { return d_.data(); }
    void push_back(int64_t v);
    void insert(int pos, int64_t v);
    void erase(int pos);
    std::vector<int64_t> vec() const { return {begin(), end()}; }

    int64_t numel() const;    // product of all entries (1 for an empty Dims)
    std::string str() const;  // "[2, 3, 4]"
    bool operator==(const Dims& o) const;
    bool operator!=(const Dims& o) const { return !(*this == o); }

  private:
    std::array<int64_t, kMaxDims> d_{};
    int n_ = 0;
};

using Shape = Dims;
using Strides = Dims;

// Row-major strides (in elements) of a contiguous tensor of this shape.
Strides contiguous_strides(const Shape& shape);
// Maps a possibly negative dim into [0, ndim); throws naming `what` when out of range.
int normalize_dim(int64_t dim, int ndim, const char* what);
// NumPy broadcasting of two shapes; throws naming `op` and both shapes when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

}  // namespace lm
