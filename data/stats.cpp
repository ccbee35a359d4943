#include "data/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "data/error.h"

namespace lm::data {

namespace {

std::string format(const char* pattern, auto... values) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, pattern, values...);
    return buffer;
}

std::string length_line(const char* title, const LengthSummary& s) {
    return format("    %-9s min %lld  p10 %lld  p50 %lld  p90 %lld  max %lld  mean %.1f\n", title,
                  static_cast<long long>(s.min), static_cast<long long>(s.p10),
                  static_cast<long long>(s.p50), static_cast<long long>(s.p90),
                  static_cast<long long>(s.max), s.mean);
}

}  // namespace

LengthSummary summarize_lengths(std::vector<int64_t> lengths) {
    LengthSummary s;
    if (lengths.empty()) return s;
    std::sort(lengths.begin(), lengths.end());
    const auto rank = [&](double p) {
        const auto n = static_cast<double>(lengths.size());
        const auto k = static_cast<size_t>(std::max(1.0, std::ceil(p / 100.0 * n)));
        return lengths[std::min(k, lengths.size()) - 1];
    };
    s.min = lengths.front();
    s.max = lengths.back();
    s.p10 = rank(10);
    s.p50 = rank(50);
    s.p90 = rank(90);
    s.mean = static_cast<double>(std::accumulate(lengths.begin(), lengths.end(), int64_t{0})) /
             static_cast<double>(lengths.size());
    return s;
}

SplitStats compute_split_stats(const std::vector<Example>& examples, int64_t num_classes) {
    SplitStats stats;
    stats.examples = static_cast<int64_t>(examples.size());
    stats.label_counts.assign(num_classes, 0);
    std::vector<int64_t> lengths, lengths2;
    bool paired = false;
    for (size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        if (num_classes > 0 && (e.label < 0 || e.label >= num_classes)) {
            throw DataError("example " + std::to_string(i) + " has label " +
                            std::to_string(e.label) + " outside [0, " +
                            std::to_string(num_classes) + ")");
        }
        if (num_classes > 0) ++stats.label_counts[e.label];
        lengths.push_back(static_cast<int64_t>(e.tokens.size()));
        lengths2.push_back(static_cast<int64_t>(e.tokens2.size()));
        paired = paired || !e.tokens2.empty();
    }
    stats.lengths = summarize_lengths(std::move(lengths));
    if (paired) stats.lengths2 = summarize_lengths(std::move(lengths2));
    return stats;
}

std::string format_task_stats(const TaskInfo& info,
                              const std::string& tokenizer,
                              const std::array<SplitStats, 3>& splits) {
    std::string out = format(
        "task %s: vocab %lld (tokenizer %s), %s, max length %lld%s\n", info.name.c_str(),
        static_cast<long long>(info.vocab_size), tokenizer.c_str(),
        info.num_classes > 0 ? (std::to_string(info.num_classes) + " classes").c_str()
                             : ("unlabeled, MASK id " + std::to_string(info.mask_id)).c_str(),
        static_cast<long long>(info.max_length), info.paired ? ", paired" : "");
    for (Split split : kAllSplits) {
        const SplitStats& s = splits[static_cast<size_t>(split)];
        out += format("  %s: %lld examples\n", split_name(split).c_str(),
                      static_cast<long long>(s.examples));
        if (info.num_classes > 0) out += "    labels   ";
        for (size_t c = 0; c < s.label_counts.size(); ++c) {
            const double share = s.examples ? 100.0 * s.label_counts[c] / s.examples : 0.0;
            const std::string name =
                c < info.class_names.size() ? info.class_names[c] : std::to_string(c);
            out += format(" %s %lld (%.1f%%)", name.c_str(),
                          static_cast<long long>(s.label_counts[c]), share);
            if (c + 1 < s.label_counts.size()) out += ",";
        }
        if (info.num_classes > 0) out += '\n';
        out += length_line(s.lengths2 ? "length 1" : "length", s.lengths);
        if (s.lengths2) out += length_line("length 2", *s.lengths2);
    }
    return out;
}

}  // namespace lm::data
