// Errors and argument checks. Library code throws; only the CLI turns errors into exit codes.
#pragma once

#include <sstream>
#include <string>

#include "core/base/error.h"

namespace lm {

namespace detail {
template <class... Args>
std::string str_cat(const Args&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}
[[noreturn]] void throw_error(const std::string& msg);
[[noreturn]] void throw_internal(const char* file,
                                 int line,
                                 const char* cond,
                                 const std::string& msg);
}  // namespace detail

}  // namespace lm

// LM_CHECK(cond, parts...): a user error whose message is the concatenated parts.
#define LM_CHECK(cond, ...)                                                         \
    do {                                                                            \
        if (!(cond)) ::lm::detail::throw_error(::lm::detail::str_cat(__VA_ARGS__)); \
    } while (0)

// LM_ASSERT(cond, parts...): an internal invariant; the message names the source location.
#define LM_ASSERT(cond, ...)                                                                    \
    do {                                                                                        \
        if (!(cond))                                                                            \
            ::lm::detail::throw_internal(__FILE__, __LINE__, #cond,                             \
                                         ::lm::detail::str_cat("" __VA_OPT__(, ) __VA_ARGS__)); \
    } while (0)
