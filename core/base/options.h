// Typed options settable by key: one mechanism for every table of them (the data module's task
// options, the training config's keys). An option knows its key, its type in words, its
// documentation, how to parse and store a text value (the form YAML, `--set` and `--opt` give)
// and how to print it back in the form it accepts.
//
// Builders take the field as a member pointer (&Options::seed) or an accessor that works on
// const and non-const objects alike ([](auto& c) -> auto& { return c.model.dim; }).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/base/error.h"

namespace lm {

// A value that does not fit its option: "expected <what>, got '<text>'" and sometimes a
// suggestion. Carries no location; the caller that knows the file, key or line adds it.
class OptionError : public Error {
  public:
    explicit OptionError(const std::string& message) : Error(message, ErrorKind::Config) {}
};

[[noreturn]] void throw_expected(const std::string& what,
                                 const std::string& got,
                                 const std::string& hint = "");

// "integer >= lo" when hi is INT64_MAX, else "integer in [lo, hi]".
std::string integer_type(int64_t lo, int64_t hi);
// "number in [lo, hi]" or "number in [lo, hi)".
std::string number_type(double lo, double hi, bool hi_open);
// "one of a, b, c" (an empty choice is written "").
std::string choice_type(const std::vector<std::string>& choices);

// Parsers that throw OptionError("expected ..., got '...'").
int64_t parse_integer(const std::string& text, int64_t lo, int64_t hi);
// `what` names the value in the message ("a number in [0, 1)").
double parse_number(
    const std::string& text, double lo, double hi, bool hi_open, const std::string& what);
bool parse_bool(const std::string& text);  // true/false, yes/no, on/off, 1/0
// Throws unless text is one of choices, suggesting the closest.
void check_choice(const std::string& text, const std::vector<std::string>& choices);
// Shortest text that reads back as the same double (12 significant digits).
std::string format_number(double value);

template <class T>
struct Option {
    std::string key;
    std::string type;  // "integer in [1, 64]", "one of a, b", "bool", ...
    std::string doc;
    bool is_list = false;                             // YAML takes a sequence (joined by ',')
    std::function<void(T&, const std::string&)> set;  // throws OptionError
    std::function<std::string(const T&)> get;         // what set accepts
};

namespace detail {
template <class Ref, class T>
decltype(auto) field_of(const Ref& ref, T& object) {
    return std::invoke(ref, object);
}
}  // namespace detail

template <class T, class Ref>
Option<T> integer_option(std::string key, Ref ref, int64_t lo, int64_t hi, std::string doc) {
    Option<T> o{std::move(key), integer_type(lo, hi), std::move(doc), false, nullptr, nullptr};
    o.set = [ref, lo, hi](T& t, const std::string& s) {
        auto& field = detail::field_of(ref, t);
        field = static_cast<std::remove_reference_t<decltype(field)>>(parse_integer(s, lo, hi));
    };
    o.get = [ref](const T& t) { return std::to_string(detail::field_of(ref, t)); };
    return o;
}

template <class T, class Ref>
Option<T> number_option(
    std::string key, Ref ref, double lo, double hi, bool hi_open, std::string doc) {
    Option<T> o{std::move(key), number_type(lo, hi, hi_open), std::move(doc), false, nullptr,
                nullptr};
    o.set = [ref, lo, hi, hi_open, what = "a " + o.type](T& t, const std::string& s) {
        detail::field_of(ref, t) = parse_number(s, lo, hi, hi_open, what);
    };
    o.get = [ref](const T& t) { return format_number(detail::field_of(ref, t)); };
    return o;
}

template <class T, class Ref>
Option<T> bool_option(std::string key, Ref ref, std::string doc) {
    Option<T> o{std::move(key), "bool", std::move(doc), false, nullptr, nullptr};
    o.set = [ref](T& t, const std::string& s) { detail::field_of(ref, t) = parse_bool(s); };
    o.get = [ref](const T& t) { return std::string(detail::field_of(ref, t) ? "true" : "false"); };
    return o;
}

template <class T, class Ref>
Option<T> string_option(std::string key, Ref ref, std::string doc) {
    Option<T> o{std::move(key), "string", std::move(doc), false, nullptr, nullptr};
    o.set = [ref](T& t, const std::string& s) { detail::field_of(ref, t) = s; };
    o.get = [ref](const T& t) { return std::string(detail::field_of(ref, t)); };
    return o;
}

template <class T, class Ref>
Option<T> choice_option(std::string key,
                        Ref ref,
                        std::vector<std::string> choices,
                        std::string doc) {
    Option<T> o{std::move(key), choice_type(choices), std::move(doc), false, nullptr, nullptr};
    o.set = [ref, choices](T& t, const std::string& s) {
        check_choice(s, choices);
        detail::field_of(ref, t) = s;
    };
    o.get = [ref](const T& t) { return std::string(detail::field_of(ref, t)); };
    return o;
}

}  // namespace lm
