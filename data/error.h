// Errors and warnings of the data module.
//
// Bad input throws DataError with a message that names the file and the line or byte offset and
// says what was expected. Recoverable problems (a skipped bad line, a rebuilt cache) go to the
// warning sink, which prints to stderr unless the application installs its own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace lm::data {

// Bad or missing data: a run-time failure (exit code 1).
class DataError : public Error {
  public:
    explicit DataError(const std::string& message) : Error(message) {}
};

// "file:line: message"
DataError error_at_line(const std::string& file, int64_t line, const std::string& message);
// "file: byte offset N: message"
DataError error_at_offset(const std::string& file, int64_t offset, const std::string& message);

using WarningSink = std::function<void(std::string_view message)>;
// Installs the sink for warnings (nullptr restores the default, which writes to stderr).
// Returns the previous sink. Thread-safe.
WarningSink set_warning_sink(WarningSink sink);
void warn(const std::string& message);

}  // namespace lm::data
