#include "core/base/check.h"

namespace lm::detail {

void throw_error(const std::string& msg) { throw Error(msg); }

void throw_internal(const char* file, int line, const char* cond, const std::string& msg) {
    throw Error(str_cat("internal error at ", file, ":", line, ": ", cond,
                        msg.empty() ? "" : " (", msg, msg.empty() ? "" : ")"));
}

}  // namespace lm::detail
