#include "data/listops.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <string>

#include "data/error.h"
#include "data/strings.h"
#include "data/tokenizer.h"

namespace lm::data {

namespace {

using T = ListOpsTokenizer;

bool is_digit(int32_t id) {
    return id >= T::kFirstDigit && id < T::kFirstDigit + 10;
}
bool is_operator(int32_t id) {
    return id >= T::kMin && id <= T::kSumMod;
}

// Appends a subtree at `depth`; returns false once the sequence reaches max_length.
bool grow(Rng& rng, int64_t depth, const ListOpsConfig& config, std::vector<int32_t>& out) {
    const double r = depth < config.max_depth ? rng.uniform01() : 1.0;
    if (r > config.operator_probability) {
        out.push_back(T::kFirstDigit + static_cast<int32_t>(rng.uniform_int(0, 9)));
        return static_cast<int64_t>(out.size()) < config.max_length;
    }
    const int64_t arguments = rng.uniform_int(2, config.max_args);
    const size_t operator_position = out.size();
    out.push_back(T::kMin);
    for (int64_t i = 0; i < arguments; ++i) {
        if (!grow(rng, depth + 1, config, out)) return false;
    }
    // The original draws the operator after its arguments.
    out[operator_position] = T::kMin + static_cast<int32_t>(rng.uniform_int(0, 3));
    out.push_back(T::kClose);
    return static_cast<int64_t>(out.size()) < config.max_length;
}

int32_t apply(int32_t op, std::vector<int32_t>& args) {
    switch (op) {
        case T::kMin:
            return *std::min_element(args.begin(), args.end());
        case T::kMax:
            return *std::max_element(args.begin(), args.end());
        case T::kSumMod:
            return std::accumulate(args.begin(), args.end(), 0) % 10;
        default: {  // kMed
            std::sort(args.begin(), args.end());
            const size_t n = args.size();
            return n % 2 == 1 ? args[n / 2] : (args[n / 2 - 1] + args[n / 2]) / 2;
        }
    }
}

DataError malformed(size_t position, const std::string& what) {
    return DataError("ListOps expression: token " + std::to_string(position) + ": " + what);
}

const std::array<const char*, 4> kOperatorNames = {"[MIN", "[MAX", "[MED", "[SM"};

}  // namespace

std::optional<std::vector<int32_t>> sample_listops_tree(Rng& rng, const ListOpsConfig& config) {
    std::vector<int32_t> tokens;
    if (!grow(rng, 1, config, tokens)) return std::nullopt;
    const auto length = static_cast<int64_t>(tokens.size());
    if (length <= config.min_length || length >= config.max_length) return std::nullopt;
    return tokens;
}

int32_t evaluate_listops(std::span<const int32_t> tokens) {
    struct Frame {
        int32_t op;
        std::vector<int32_t> args;
    };
    std::vector<Frame> stack;
    std::optional<int32_t> result;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const int32_t id = tokens[i];
        if (result) throw malformed(i, "expected the end of the expression");
        if (is_operator(id)) {
            stack.push_back({id, {}});
        } else if (is_digit(id) || id == T::kClose) {
            int32_t value = id - T::kFirstDigit;
            if (id == T::kClose) {
                if (stack.empty()) throw malformed(i, "']' without an open operator");
                if (stack.back().args.empty()) throw malformed(i, "operator without arguments");
                value = apply(stack.back().op, stack.back().args);
                stack.pop_back();
            }
            if (stack.empty()) {
                result = value;
            } else {
                stack.back().args.push_back(value);
            }
        } else {
            throw malformed(i,
                            "expected a digit, an operator or ']', got id " + std::to_string(id));
        }
    }
    if (!stack.empty()) throw malformed(tokens.size(), "expected ']' to close an operator");
    if (!result) throw malformed(0, "expected an expression, got no tokens");
    return *result;
}

int64_t listops_depth(std::span<const int32_t> tokens) {
    int64_t depth = 0, deepest = 0;
    for (int32_t id : tokens) {
        if (is_operator(id)) deepest = std::max(deepest, ++depth);
        if (id == T::kClose) --depth;
    }
    return deepest;
}

std::vector<int32_t> ListOpsTokenizer::encode(std::string_view text) const {
    std::vector<int32_t> ids;
    std::string_view rest = text;
    while (!(rest = trim(rest)).empty()) {
        const size_t end = rest.find_first_of(" \t\r\n");
        const std::string_view word = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        if (word == "(" || word == ")") continue;  // LRA TSV form
        if (word == "]" || word == "X") {
            ids.push_back(kClose);
        } else if (word.size() == 1 && word[0] >= '0' && word[0] <= '9') {
            ids.push_back(kFirstDigit + (word[0] - '0'));
        } else {
            const auto* op = std::find(kOperatorNames.begin(), kOperatorNames.end(), word);
            if (op == kOperatorNames.end()) {
                throw DataError(
                    "listops tokenizer: expected a digit, [MIN, [MAX, [MED, [SM "
                    "or ], got '" +
                    excerpt(word) + "'");
            }
            ids.push_back(kMin + static_cast<int32_t>(op - kOperatorNames.begin()));
        }
    }
    return ids;
}

std::string ListOpsTokenizer::decode(std::span<const int32_t> ids) const {
    std::string text;
    for (int32_t id : ids) {
        if (id < 0 || id >= vocab_size()) {
            throw DataError("listops tokenizer: token id " + std::to_string(id) +
                            " is outside the vocabulary [0, 17)");
        }
        if (id < kFirstTokenId) continue;
        if (!text.empty()) text += ' ';
        if (is_digit(id)) {
            text += static_cast<char>('0' + id - kFirstDigit);
        } else if (id == kClose) {
            text += ']';
        } else {
            text += kOperatorNames[id - kMin];
        }
    }
    return text;
}

nlohmann::json ListOpsTokenizer::to_json() const {
    return {{"type", type()}, {"version", 1}};
}

}  // namespace lm::data
