#include "core/cuda/check.h"

#include <cstring>

#include "core/base/check.h"

namespace lm::cuda::detail {

namespace {
// The path from the repository root ("core/cuda/x.cpp") rather than the build machine's.
const char* short_path(const char* file) {
    for (const char* root : {"/core/", "/tests/"}) {
        if (const char* at = std::strstr(file, root)) return at + 1;
    }
    return file;
}
}  // namespace

void throw_call_error(const char* library,
                      const char* call,
                      const char* file,
                      int line,
                      int code,
                      const char* message) {
    throw Error(::lm::detail::str_cat(library, " error: ", call, " failed at ", short_path(file),
                                      ":", line, ": ", message ? message : "unknown error",
                                      " (code ", code, ")"));
}

const char* cublas_status_string(cublasStatus_t status) {
    return cublasGetStatusString(status);
}

const char* cufft_result_string(cufftResult result) {
    switch (result) {
        case CUFFT_SUCCESS:
            return "success";
        case CUFFT_INVALID_PLAN:
            return "invalid plan";
        case CUFFT_ALLOC_FAILED:
            return "allocation failed";
        case CUFFT_INVALID_TYPE:
            return "invalid type";
        case CUFFT_INVALID_VALUE:
            return "invalid value";
        case CUFFT_INTERNAL_ERROR:
            return "internal error";
        case CUFFT_EXEC_FAILED:
            return "execution failed";
        case CUFFT_SETUP_FAILED:
            return "setup failed";
        case CUFFT_INVALID_SIZE:
            return "invalid size";
        case CUFFT_INVALID_DEVICE:
            return "invalid device";
        case CUFFT_NO_WORKSPACE:
            return "no workspace";
        case CUFFT_NOT_IMPLEMENTED:
            return "not implemented";
        case CUFFT_NOT_SUPPORTED:
            return "not supported";
        default:
            return "unknown cuFFT error";
    }
}

}  // namespace lm::cuda::detail
