#include "data/error.h"

#include <cstdio>
#include <mutex>
#include <utility>

namespace lm::data {

DataError error_at_line(const std::string& file, int64_t line, const std::string& message) {
    return DataError(file + ":" + std::to_string(line) + ": " + message);
}

DataError error_at_offset(const std::string& file, int64_t offset, const std::string& message) {
    return DataError(file + ": byte offset " + std::to_string(offset) + ": " + message);
}

namespace {

std::mutex& sink_mutex() {
    static std::mutex mutex;
    return mutex;
}

WarningSink& current_sink() {
    static WarningSink sink;
    return sink;
}

}  // namespace

WarningSink set_warning_sink(WarningSink sink) {
    std::lock_guard<std::mutex> lock(sink_mutex());
    return std::exchange(current_sink(), std::move(sink));
}

void warn(const std::string& message) {
    std::lock_guard<std::mutex> lock(sink_mutex());
    if (current_sink()) {
        current_sink()(message);
    } else {
        std::fprintf(stderr, "landmark: data warning: %s\n", message.c_str());
    }
}

}  // namespace lm::data
