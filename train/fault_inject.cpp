#include "train/fault_inject.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace lm::train {

namespace {
// How often each point was reached in this process.
std::map<std::string, long> g_hits;
std::mutex g_mutex;

// Parses "<point>[@<n>]"; n < 1 or garbage after '@' means 1.
bool targets(const char* spec, const char* point, long* nth) {
    const char* at = std::strchr(spec, '@');
    const size_t len = at ? static_cast<size_t>(at - spec) : std::strlen(spec);
    if (len != std::strlen(point) || std::strncmp(spec, point, len) != 0) return false;
    *nth = at ? std::strtol(at + 1, nullptr, 10) : 1;
    if (*nth < 1) *nth = 1;
    return true;
}
}  // namespace

void fault_point(const char* point) {
    const char* spec = std::getenv("LANDMARK_FAULT_INJECT");
    long nth = 1;
    if (spec == nullptr || !targets(spec, point, &nth)) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    if (++g_hits[point] != nth) return;
    std::fprintf(stderr, "landmark: LANDMARK_FAULT_INJECT: killing the process at %s (hit %ld)\n",
                 point, nth);
    std::fflush(stderr);
    ::kill(::getpid(), SIGKILL);
    ::pause();
}

}  // namespace lm::train
