#include "core/autograd/autocast.h"

#include "core/base/check.h"

namespace lm {

namespace {
thread_local DType g_autocast = DType::Float32;
}

DType autocast_dtype() {
    return g_autocast;
}

AutocastScope::AutocastScope(DType dtype) : prev_(g_autocast) {
    LM_CHECK(dtype == DType::Float32 || dtype == DType::BFloat16 || dtype == DType::Float16,
             "autocast: expected float32, bfloat16 or float16, got ", dtype_name(dtype));
    g_autocast = dtype;
}

AutocastScope::~AutocastScope() {
    g_autocast = prev_;
}

DType precision_dtype(const std::string& n) {
    if (n == "fp32") return DType::Float32;
    if (n == "bf16") return DType::BFloat16;
    if (n == "fp16") return DType::Float16;
    LM_CHECK(false, "unknown precision '", n, "'; expected fp32, bf16 or fp16");
}

}  // namespace lm
