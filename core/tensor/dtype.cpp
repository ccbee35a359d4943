#include "core/tensor/dtype.h"

#include "core/base/check.h"

namespace lm {

size_t dtype_size(DType t) {
    switch (t) {
        case DType::Float32:
            return 4;
        case DType::Float64:
            return 8;
        case DType::Int32:
            return 4;
        case DType::Int64:
            return 8;
        case DType::Bool:
            return 1;
        case DType::BFloat16:
            return 2;
        case DType::Float16:
            return 2;
    }
    LM_ASSERT(false, "unknown dtype");
}

const char* dtype_name(DType t) {
    switch (t) {
        case DType::Float32:
            return "float32";
        case DType::Float64:
            return "float64";
        case DType::Int32:
            return "int32";
        case DType::Int64:
            return "int64";
        case DType::Bool:
            return "bool";
        case DType::BFloat16:
            return "bfloat16";
        case DType::Float16:
            return "float16";
    }
    return "?";
}

DType dtype_from_name(const std::string& name) {
    for (DType t : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::Bool,
                    DType::BFloat16, DType::Float16}) {
        if (name == dtype_name(t)) return t;
    }
    if (name == "float" || name == "f32") return DType::Float32;
    if (name == "double" || name == "f64") return DType::Float64;
    LM_CHECK(false, "unknown dtype '", name,
             "'; expected one of float32, float64, int32, int64, bool, bfloat16, float16");
}

bool is_floating(DType t) {
    return t == DType::Float32 || t == DType::Float64 || t == DType::BFloat16 ||
           t == DType::Float16;
}

}  // namespace lm
