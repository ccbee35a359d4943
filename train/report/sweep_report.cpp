#include "train/report/sweep_report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "train/report/summary.h"
#include "train/report/svg_plot.h"

namespace lm::train {

namespace {

struct Stat {
    std::vector<double> v;
    void add(double x) {
        if (std::isfinite(x) && x >= 0) v.push_back(x);
    }
    double mean() const {
        double s = 0;
        for (double x : v)
            s += x;
        return v.empty() ? NAN : s / static_cast<double>(v.size());
    }
    double sd() const {
        if (v.size() < 2) return 0;
        const double m = mean();
        double s = 0;
        for (double x : v)
            s += (x - m) * (x - m);
        return std::sqrt(s / static_cast<double>(v.size() - 1));
    }
    std::string str(double scale, const char* fmt) const {
        if (v.empty()) return "-";
        char buf[64];
        std::snprintf(buf, sizeof buf, fmt, mean() * scale);
        std::string out = buf;
        if (v.size() > 1) {
            std::snprintf(buf, sizeof buf, fmt, sd() * scale);
            out += " ± " + std::string(buf);
        }
        return out;
    }
};

// Variants in first-appearance order with their runs.
std::vector<std::pair<std::string, std::vector<SweepRun>>> by_attention(
    const std::vector<SweepRun>& runs) {
    std::vector<std::pair<std::string, std::vector<SweepRun>>> out;
    for (const auto& r : runs) {
        auto it =
            std::find_if(out.begin(), out.end(), [&](auto& p) { return p.first == r.attention; });
        if (it == out.end())
            out.push_back({r.attention, {r}});
        else
            it->second.push_back(r);
    }
    return out;
}

}  // namespace

std::string sweep_results_markdown(const std::vector<SweepRun>& runs, const std::string& title) {
    std::string md = "# " + title + "\n\n";
    md +=
        "| attention | runs | best val acc | test acc | tokens/s | peak tensor MiB | peak RSS MiB "
        "| "
        "train time s |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& [att, rs] : by_attention(runs)) {
        Stat val, test, tps, mem, rss, secs;
        int done = 0;
        for (const auto& r : rs) {
            const nlohmann::json s = read_summary(r.run_dir);
            if (s.is_discarded() || s.empty()) continue;
            ++done;
            val.add(s.value("best_val_accuracy", -1.0));
            test.add(s.value("test_accuracy", -1.0));
            tps.add(s.value("tokens_per_s", -1.0));
            mem.add(s.value("peak_tensor_bytes", -1.0));
            rss.add(s.value("peak_rss_bytes", -1.0));
            secs.add(s.value("train_seconds", -1.0));
        }
        md += "| " + att + " | " + std::to_string(done) + "/" + std::to_string(rs.size()) + " | " +
              val.str(100, "%.2f") + " | " + test.str(100, "%.2f") + " | " + tps.str(1, "%.0f") +
              " | " + mem.str(1.0 / 1048576, "%.1f") + " | " + rss.str(1.0 / 1048576, "%.1f") +
              " | " + secs.str(1, "%.1f") + " |\n";
    }
    md +=
        "\nAccuracies in %, mean ± standard deviation over seeds; tokens/s counts real (non-pad) "
        "tokens of training steps; peak tensor memory is the allocator's peak of live tensors.\n";
    return md;
}

std::string sweep_curves_svg(const std::vector<SweepRun>& runs, const std::string& title) {
    std::vector<Series> series;
    for (const auto& [att, rs] : by_attention(runs)) {
        std::map<int64_t, Stat> at_step;
        for (const auto& r : rs) {
            std::ifstream in(std::filesystem::path(r.run_dir) / "metrics.jsonl");
            for (std::string line; std::getline(in, line);) {
                const auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_discarded() || j.value("split", "") != "validation") continue;
                at_step[j.value("step", int64_t{0})].add(j.value("accuracy", -1.0));
            }
        }
        Series s{att, {}, {}};
        for (const auto& [step, st] : at_step) {
            s.x.push_back(static_cast<double>(step));
            s.y.push_back(st.mean() * 100);
        }
        series.push_back(std::move(s));
    }
    return line_plot_svg(series, {title, "step", "validation accuracy (%)"});
}

}  // namespace lm::train
