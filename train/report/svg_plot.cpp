#include "train/report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace lm::train {

namespace {

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                         "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79"};

std::string fmt(double v) {
    char buf[32];
    if (v != 0 && (std::fabs(v) >= 1e5 || std::fabs(v) < 1e-3)) {
        std::snprintf(buf, sizeof buf, "%.2g", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.4g", v);
    }
    return buf;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '&')
            out += "&amp;";
        else
            out += c;
    }
    return out;
}

// Maps data to pixels on one axis (optionally logarithmic).
struct Axis {
    double lo, hi;
    bool log;
    double p0, p1;  // pixel range
    double to_px(double v) const {
        const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
        const double t = ((log ? std::log10(v) : v) - a) / (b - a);
        return p0 + t * (p1 - p0);
    }
    std::vector<double> ticks() const {
        std::vector<double> t;
        if (log) {
            // decades, with 2x and 5x marks when the range spans less than two decades
            const bool fine = hi / lo < 100;
            for (double d = std::pow(10.0, std::floor(std::log10(lo))); d <= hi * 1.0001; d *= 10) {
                for (double m : fine ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
                    if (d * m >= lo * 0.9999 && d * m <= hi * 1.0001) t.push_back(d * m);
                }
            }
            if (t.size() < 2) t = {lo, hi};
        } else {  // 1, 2 or 5 times a power of ten, about five ticks
            const double raw = (hi - lo) / 5.0, mag = std::pow(10.0, std::floor(std::log10(raw)));
            const double r = raw / mag;
            const double step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
            for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
                t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
            }
        }
        return t;
    }
};

Axis make_axis(const std::vector<Series>& s, bool use_x, bool log, double p0, double p1) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& ser : s) {
        for (double v : use_x ? ser.x : ser.y) {
            if (!std::isfinite(v) || (log && v <= 0)) continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi == lo) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
    if (!log && !use_x) {  // a little headroom for curves
        const double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    return {lo, hi, log, p0, p1};
}

}  // namespace

std::string line_plot_svg(const std::vector<Series>& series, const PlotOptions& o) {
    const double left = 70, right = o.width - 170, top = 40, bottom = o.height - 50;
    const Axis ax = make_axis(series, true, o.log_x, left, right);
    const Axis ay = make_axis(series, false, o.log_y, bottom, top);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      std::to_string(o.width) + "\" height=\"" + std::to_string(o.height) +
                      "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg += "<text x=\"" + fmt((left + right) / 2) +
           "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + escape(o.title) + "</text>\n";
    for (double t : ax.ticks()) {
        const double px = ax.to_px(t);
        svg += "<line x1=\"" + fmt(px) + "\" y1=\"" + fmt(top) + "\" x2=\"" + fmt(px) + "\" y2=\"" +
               fmt(bottom) + "\" stroke=\"#e0e0e0\"/><text x=\"" + fmt(px) + "\" y=\"" +
               fmt(bottom + 16) + "\" text-anchor=\"middle\">" + fmt(t) + "</text>\n";
    }
    for (double t : ay.ticks()) {
        const double py = ay.to_px(t);
        svg += "<line x1=\"" + fmt(left) + "\" y1=\"" + fmt(py) + "\" x2=\"" + fmt(right) +
               "\" y2=\"" + fmt(py) + "\" stroke=\"#e0e0e0\"/><text x=\"" + fmt(left - 6) +
               "\" y=\"" + fmt(py + 4) + "\" text-anchor=\"end\">" + fmt(t) + "</text>\n";
    }
    svg += "<rect x=\"" + fmt(left) + "\" y=\"" + fmt(top) + "\" width=\"" + fmt(right - left) +
           "\" height=\"" + fmt(bottom - top) + "\" fill=\"none\" stroke=\"black\"/>\n";
    svg += "<text x=\"" + fmt((left + right) / 2) + "\" y=\"" + fmt(o.height - 12) +
           "\" text-anchor=\"middle\">" + escape(o.x_label) + "</text>\n";
    svg += "<text transform=\"translate(16," + fmt((top + bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + escape(o.y_label) + "</text>\n";
    for (size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        const std::string color = kColors[i % (sizeof kColors / sizeof kColors[0])];
        std::string points;
        for (size_t k = 0; k < s.x.size() && k < s.y.size(); ++k) {
            if (!std::isfinite(s.y[k]) || (o.log_y && s.y[k] <= 0) || (o.log_x && s.x[k] <= 0))
                continue;
            points += fmt(ax.to_px(s.x[k])) + "," + fmt(ay.to_px(s.y[k])) + " ";
            svg += "<circle cx=\"" + fmt(ax.to_px(s.x[k])) + "\" cy=\"" + fmt(ay.to_px(s.y[k])) +
                   "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
        }
        svg += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.8\" points=\"" +
               points + "\"/>\n";
        const double ly = top + 10 + 18 * static_cast<double>(i);
        svg += "<line x1=\"" + fmt(right + 12) + "\" y1=\"" + fmt(ly) + "\" x2=\"" +
               fmt(right + 34) + "\" y2=\"" + fmt(ly) + "\" stroke=\"" + color +
               "\" stroke-width=\"2\"/><text x=\"" + fmt(right + 40) + "\" y=\"" + fmt(ly + 4) +
               "\">" + escape(s.name) + "</text>\n";
    }
    return svg + "</svg>\n";
}

std::string side_by_side_svg(const std::vector<std::string>& charts, int width, int height) {
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      std::to_string(width * static_cast<int>(charts.size())) + "\" height=\"" +
                      std::to_string(height) + "\">\n";
    for (size_t i = 0; i < charts.size(); ++i) {
        svg += "<g transform=\"translate(" + std::to_string(width * static_cast<int>(i)) +
               ",0)\">\n" + charts[i] + "</g>\n";
    }
    return svg + "</svg>\n";
}

}  // namespace lm::train
