#include "core/base/options.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "core/base/strings.h"

namespace lm {

void throw_expected(const std::string& what, const std::string& got, const std::string& hint) {
    throw OptionError("expected " + what + ", got '" + got + "'" + hint);
}

std::string integer_type(int64_t lo, int64_t hi) {
    if (hi == INT64_MAX) return "integer >= " + std::to_string(lo);
    return "integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

std::string number_type(double lo, double hi, bool hi_open) {
    return "number in [" + format_number(lo) + ", " + format_number(hi) + (hi_open ? ")" : "]");
}

std::string choice_type(const std::vector<std::string>& choices) {
    std::vector<std::string> shown;
    for (const auto& c : choices)
        shown.push_back(c.empty() ? "\"\"" : c);
    return "one of " + join(shown);
}

int64_t parse_integer(const std::string& text, int64_t lo, int64_t hi) {
    const std::string what = "an " + integer_type(lo, hi);
    // Digits with an optional sign, nothing else: no spaces, no "1.0", no "1e3".
    const size_t first = (text.size() > 1 && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    if (text.empty() || text.find_first_not_of("0123456789", first) != std::string::npos) {
        throw_expected(what, text);
    }
    errno = 0;
    const long long value = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE || value < lo || value > hi) throw_expected(what, text);
    return value;
}

double parse_number(
    const std::string& text, double lo, double hi, bool hi_open, const std::string& what) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    const bool parsed = !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
    if (!parsed || value < lo || value > hi || (hi_open && value == hi)) {
        throw_expected(what, text);
    }
    return value;
}

bool parse_bool(const std::string& text) {
    for (const char* yes : {"true", "True", "yes", "on", "1"})
        if (text == yes) return true;
    for (const char* no : {"false", "False", "no", "off", "0"})
        if (text == no) return false;
    throw_expected("true or false", text);
}

void check_choice(const std::string& text, const std::vector<std::string>& choices) {
    for (const auto& choice : choices)
        if (text == choice) return;
    throw_expected(choice_type(choices), text, suggestion(text, choices));
}

std::string format_number(double value) {
    std::ostringstream os;
    os.precision(12);
    os << value;
    return os.str();
}

}  // namespace lm
