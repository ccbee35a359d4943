// Minimal SVG line charts (validation curves of a sweep, time and memory against sequence
// length of a benchmark): axes with ticks, one polyline and marker set per series, a legend.
#pragma once

#include <string>
#include <vector>

namespace lm::train {

struct Series {
    std::string name;
    std::vector<double> x, y;
};

struct PlotOptions {
    std::string title, x_label, y_label;
    bool log_x = false, log_y = false;
    int width = 760, height = 440;
};

std::string line_plot_svg(const std::vector<Series>& series, const PlotOptions& opts);
// Several charts side by side in one SVG document.
std::string side_by_side_svg(const std::vector<std::string>& charts, int width, int height);

}  // namespace lm::train
