// Element types. Float32 trains, Float64 checks gradients; Int32/Int64 hold ids and labels;
// Bool holds comparison results and masks; BFloat16/Float16 are storage types for the GPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lm {

enum class DType : uint8_t { Float32, Float64, Int32, Int64, Bool, BFloat16, Float16 };

// 16-bit floating storage types; arithmetic happens after conversion to float (kernels/half.h).
struct bf16_t {
    uint16_t bits;
};
struct f16_t {
    uint16_t bits;
};

size_t dtype_size(DType t);
const char* dtype_name(DType t);                 // "float32", "int64", ...
DType dtype_from_name(const std::string& name);  // throws lm::Error listing the valid names
bool is_floating(DType t);

template <class T>
struct DTypeOf;
template <>
struct DTypeOf<float> {
    static constexpr DType value = DType::Float32;
};
template <>
struct DTypeOf<double> {
    static constexpr DType value = DType::Float64;
};
template <>
struct DTypeOf<int32_t> {
    static constexpr DType value = DType::Int32;
};
template <>
struct DTypeOf<int64_t> {
    static constexpr DType value = DType::Int64;
};
template <>
struct DTypeOf<bool> {
    static constexpr DType value = DType::Bool;
};
template <>
struct DTypeOf<bf16_t> {
    static constexpr DType value = DType::BFloat16;
};
template <>
struct DTypeOf<f16_t> {
    static constexpr DType value = DType::Float16;
};
template <class T>
inline constexpr DType dtype_of = DTypeOf<T>::value;

}  // namespace lm
